// The operator CLI. Commands are added as the issues land.
import Foundation

FileHandle.standardError.write(Data("bus: no commands yet\n".utf8))
exit(2)
