// The operator CLI. Each command lives in its own file and is listed here.
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// A process inherits its parent's blocked signals: one started from a Dispatch worker thread
// (a test runner, some supervisors) would never see Ctrl-C or SIGTERM. `bus dev` and
// `bus tail` stop on those, so they are unblocked here, before any other thread exists.
var termination = sigset_t()
sigemptyset(&termination)
sigaddset(&termination, SIGINT)
sigaddset(&termination, SIGTERM)
pthread_sigmask(SIG_UNBLOCK, &termination, nil)

let router = CommandRouter(commands: [
    DevCommand(), TopicsCommand(), PublishCommand(), TailCommand(), DlqCommand(),
    ExceptionsCommand(), LagCommand(), ResyncCommand(), SchemaCommand(),
])
exit(router.run(Array(CommandLine.arguments.dropFirst())).rawValue)
