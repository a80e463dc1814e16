// The payment-letterer worker. Placeholder until its flow lands.
import Foundation

FileHandle.standardError.write(Data("payment-letterer: not built yet\n".utf8))
exit(2)
