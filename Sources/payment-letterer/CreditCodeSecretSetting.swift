import BusRuntime
import BusSchema

/// `BUS_CREDIT_CODE_SECRET`, or `BUS_CREDIT_CODE_SECRET_FILE` naming a file: the secret store
/// credit and gift card codes are keyed with (see README, payment-letterer).
enum CreditCodeSecretSetting {
    static let variable = "BUS_CREDIT_CODE_SECRET"

    /// The secret, nil when neither variable is set; throws `.invalidConfiguration` naming the
    /// variable (never the value) when it cannot be used.
    static func read(_ environment: [String: String]) throws(RuntimeError) -> CreditCodeSecret? {
        guard let text = try WorkerSecret.read(variable, environment: environment) else { return nil }
        guard let secret = CreditCodeSecret(text) else {
            let source = WorkerSecret.source(of: variable, environment: environment)
            let reason = "shorter than \(CreditCodeSecret.minimumLength) bytes: use 32 random bytes or more (openssl rand -hex 32)"
            throw RuntimeError(.invalidConfiguration, "\(source): \(reason)", context: [source: reason])
        }
        return secret
    }
}
