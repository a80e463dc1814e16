// The stock-broadcaster worker. Placeholder until its flow lands.
import Foundation

FileHandle.standardError.write(Data("stock-broadcaster: not built yet\n".utf8))
exit(2)
