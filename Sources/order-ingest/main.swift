// The order-ingest worker. Placeholder until its flow lands.
import Foundation

FileHandle.standardError.write(Data("order-ingest: not built yet\n".utf8))
exit(2)
