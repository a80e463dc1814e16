import CRdKafka
import Synchronization

/// Owns one librdkafka client handle (`rd_kafka_t`) and the context its callbacks reach.
///
/// The only holder of the raw pointer: producers and consumers go through it, and `deinit`
/// destroys the handle. The context is passed to librdkafka as the configuration opaque
/// (unretained): it lives exactly as long as this object, which outlives the handle.
final class NativeClient: @unchecked Sendable {
    /// What librdkafka's callbacks need; reached through the handle's opaque pointer.
    final class Context: @unchecked Sendable {
        let onEvent: KafkaClientEventHandler?
        /// Called on the polling thread inside librdkafka's rebalance callback.
        let rebalance = Mutex<(@Sendable (RebalanceEvent) -> Void)?>(nil)
        /// The first fatal error raised by this client, if any.
        let fatalError = Mutex<KafkaError?>(nil)

        init(onEvent: KafkaClientEventHandler?) {
            self.onEvent = onEvent
        }
    }

    let handle: OpaquePointer
    let context: Context
    private let destroyFlags = Atomic<Int32>(0)

    /// Creates a client of `type` from `config`, with `defaults` applied first so that any
    /// explicit setting wins. `configure` installs type-specific callbacks on the
    /// configuration object before the handle takes ownership of it.
    init(
        type: rd_kafka_type_t, config: KafkaConfig, defaults: [(String, String)],
        onEvent: KafkaClientEventHandler?, configure: (OpaquePointer) -> Void = { _ in }
    ) throws(KafkaError) {
        let role: KafkaConfig.Role = type == RD_KAFKA_PRODUCER ? .producer : .consumer
        let conf = try config.makeNativeConfig(role: role, defaults: defaults)
        let context = Context(onEvent: onEvent)
        rd_kafka_conf_set_opaque(conf, Unmanaged.passUnretained(context).toOpaque())
        rd_kafka_conf_set_error_cb(conf, nativeErrorCallback)
        if onEvent != nil { rd_kafka_conf_set_log_cb(conf, nativeLogCallback) }
        configure(conf)

        var errstr = [CChar](repeating: 0, count: 512)
        // On success rd_kafka_new owns conf; on failure it is still ours to destroy.
        guard let handle = rd_kafka_new(type, conf, &errstr, errstr.count) else {
            rd_kafka_conf_destroy(conf)
            let reason = String(cStringBuffer: errstr)
            throw KafkaError(
                RD_KAFKA_RESP_ERR__INVALID_ARG,
                message: "cannot create the Kafka client: \(reason)", context: ["reason": reason])
        }
        self.handle = handle
        self.context = context
    }

    deinit {
        rd_kafka_destroy_flags(handle, destroyFlags.load(ordering: .acquiring))
    }

    /// Destroys the handle without the consumer close (`RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE`):
    /// no leave request reaches the group coordinator, as when a process is killed.
    func skipConsumerCloseOnDestroy() {
        destroyFlags.store(Int32(RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE), ordering: .releasing)
    }

    /// The fatal error raised by this client, resolved to its underlying cause.
    func resolveFatalError() -> KafkaError {
        var errstr = [CChar](repeating: 0, count: 512)
        let code = rd_kafka_fatal_error(handle, &errstr, errstr.count)
        let error = KafkaError(
            code: code.rawValue, name: String(cString: rd_kafka_err2name(code)),
            message: "fatal client error: \(String(cStringBuffer: errstr)); restart the process",
            isRetriable: false, isFatal: true)
        context.fatalError.withLock { if $0 == nil { $0 = error } }
        return error
    }

    /// A numeric setting as the client resolved it (defaults included), or nil when unknown.
    func intSetting(_ name: String) -> Int? {
        // rd_kafka_conf() returns the handle's own configuration: read-only, not ours to free.
        guard let conf = rd_kafka_conf(handle) else { return nil }
        var buffer = [CChar](repeating: 0, count: 64)
        var size = buffer.count
        guard rd_kafka_conf_get(conf, name, &buffer, &size) == RD_KAFKA_CONF_OK else { return nil }
        return Int(String(cStringBuffer: buffer))
    }

    /// Recovers the context from a callback's opaque pointer.
    static func context(from opaque: UnsafeMutableRawPointer?) -> Context? {
        opaque.map { Unmanaged<Context>.fromOpaque($0).takeUnretainedValue() }
    }
}

private let nativeErrorCallback: @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, UnsafeMutableRawPointer?) -> Void = {
    handle, code, reason, opaque in
    guard let context = NativeClient.context(from: opaque) else { return }
    let err = rd_kafka_resp_err_t(rawValue: code)
    var error = KafkaError(err, message: reason.map { String(cString: $0) })
    if err == RD_KAFKA_RESP_ERR__FATAL, let handle {
        var errstr = [CChar](repeating: 0, count: 512)
        let cause = rd_kafka_fatal_error(handle, &errstr, errstr.count)
        error = KafkaError(
            code: cause.rawValue, name: String(cString: rd_kafka_err2name(cause)),
            message: "fatal client error: \(String(cStringBuffer: errstr)); restart the process",
            isRetriable: false, isFatal: true)
        context.fatalError.withLock { if $0 == nil { $0 = error } }
    }
    context.onEvent?(.error(error))
}

private let nativeLogCallback: @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> Void = {
    handle, level, facility, message in
    guard let handle, let context = NativeClient.context(from: rd_kafka_opaque(handle)) else { return }
    context.onEvent?(.log(
        level: level, facility: facility.map { String(cString: $0) } ?? "",
        message: message.map { String(cString: $0) } ?? ""))
}

extension String {
    /// A string from a NUL-terminated C buffer that librdkafka filled.
    init(cStringBuffer buffer: [CChar]) {
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        self = String(decoding: bytes, as: UTF8.self)
    }
}
