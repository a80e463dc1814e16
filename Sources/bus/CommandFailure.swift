import BusKafka
import BusSchema
import Foundation

/// A command that could not do its work: `bus` prints the message and exits 1.
struct CommandFailure: Error {
    var message: String
    init(_ message: String) { self.message = message }
}

extension BusCommand {
    /// Runs the work of a command whose arguments are already checked: a `CommandFailure`,
    /// `KafkaError` or `SchemaError` becomes one line on standard error and exit 1, and a
    /// `UsageError` found on the way stays a usage error (exit 2).
    func attempt(_ output: Output, _ body: () throws -> ExitCode) throws(UsageError) -> ExitCode {
        do {
            return try body()
        } catch let usage as UsageError {
            throw usage
        } catch let failure as CommandFailure {
            output.error("bus \(name): \(failure.message)")
        } catch let kafka as KafkaError {
            output.error("bus \(name): \(kafka.description)")
        } catch let schema as SchemaError {
            output.error("bus \(name): \(schema.description)")
        } catch {
            output.error("bus \(name): \(error)")
        }
        return .failure
    }
}
