// The operator CLI. Each command lives in its own file and is listed here.
import Foundation

let router = CommandRouter(commands: [DemoCommand(), SchemaCommand()])
exit(router.run(Array(CommandLine.arguments.dropFirst())).rawValue)
