// The customer-sync worker. Placeholder until its flow lands.
import Foundation

FileHandle.standardError.write(Data("customer-sync: not built yet\n".utf8))
exit(2)
