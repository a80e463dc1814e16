// The operator CLI. Each command lives in its own file and is listed here.
import Foundation

let router = CommandRouter(commands: [
    DevCommand(), TopicsCommand(), PublishCommand(), TailCommand(), DlqCommand(),
    ExceptionsCommand(), LagCommand(), ResyncCommand(), SchemaCommand(),
])
exit(router.run(Array(CommandLine.arguments.dropFirst())).rawValue)
