import CRdKafka
import Foundation

/// Conversions between `KafkaHeader` arrays and librdkafka header lists.
enum NativeHeaders {
    /// A new header list holding copies of `headers`; the caller owns it.
    static func make(_ headers: [KafkaHeader]) -> OpaquePointer? {
        guard let list = rd_kafka_headers_new(headers.count) else { return nil }
        for header in headers {
            header.value.withNullableBytes { bytes in
                _ = rd_kafka_header_add(list, header.key, -1, bytes.baseAddress, bytes.count)
            }
        }
        return list
    }

    /// The headers of a consumed message, in order. The list stays owned by the message.
    static func read(from message: UnsafeMutablePointer<rd_kafka_message_t>) -> [KafkaHeader] {
        var list: OpaquePointer?
        guard rd_kafka_message_headers(message, &list) == RD_KAFKA_RESP_ERR_NO_ERROR, let list else { return [] }
        var out: [KafkaHeader] = []
        out.reserveCapacity(rd_kafka_header_cnt(list))
        var index = 0
        var name: UnsafePointer<CChar>?
        var value: UnsafeRawPointer?
        var size = 0
        while rd_kafka_header_get_all(list, index, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR {
            let key = name.map { String(cString: $0) } ?? ""
            out.append(KafkaHeader(key: key, value: value.map { Data(bytes: $0, count: size) }))
            index += 1
        }
        return out
    }
}
