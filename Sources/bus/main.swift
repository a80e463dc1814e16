// The operator CLI. Each command lives in its own file and is listed here.
import BusRuntime
import Foundation

// Before any other thread exists: `bus dev`, `bus tail` and `bus demo` stop on Ctrl-C/SIGTERM.
ShutdownSignals.unblockInheritedMask()

let router = CommandRouter(commands: [
    DemoCommand(), ChaosCommand(), DevCommand(), TopicsCommand(), PublishCommand(), TailCommand(), DlqCommand(),
    ExceptionsCommand(), LagCommand(), ResyncCommand(), OrdersCommand(), SchemaCommand(), ProbeCommand(), BenchCommand(),
])
exit(router.run(Array(CommandLine.arguments.dropFirst())).rawValue)
