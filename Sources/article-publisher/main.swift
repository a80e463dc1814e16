// The article-publisher worker. Placeholder until its flow lands.
import Foundation

FileHandle.standardError.write(Data("article-publisher: not built yet\n".utf8))
exit(2)
