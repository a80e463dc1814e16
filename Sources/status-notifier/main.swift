// The status-notifier worker. Placeholder until its flow lands.
import Foundation

FileHandle.standardError.write(Data("status-notifier: not built yet\n".utf8))
exit(2)
