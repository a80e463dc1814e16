/// Parses an HTTP/1.x request head from bytes as they arrive, within fixed limits.
///
/// Pure and incremental: feed it what the socket returned and it answers "more", a request,
/// or the error status to send. It holds at most the limits plus one read, so a 1 MB request
/// line is refused after 8 KiB without being buffered (RFC 9112 sections 2-5).
struct HTTPRequestParser {
    enum Outcome: Equatable {
        /// The head is not complete yet.
        case needMore
        /// A complete, valid head.
        case request(HTTPRequest)
        /// A bad head: answer with this status and short explanation, then close.
        case reject(status: Int, reason: String)
    }

    let maxRequestLineBytes: Int
    let maxHeaderBytes: Int

    private var buffer: [UInt8] = []
    /// Where the next line starts (after the request line: where the next header starts).
    private var lineStart = 0
    /// Where headers begin, once the request line is parsed.
    private var headerStart: Int?
    private var requestLine: (method: String, target: String, version: String)?
    private var headers: [HTTPRequest.Header] = []
    private var settled: Outcome?

    init(maxRequestLineBytes: Int, maxHeaderBytes: Int) {
        self.maxRequestLineBytes = maxRequestLineBytes
        self.maxHeaderBytes = maxHeaderBytes
    }

    /// Adds bytes and says where parsing stands. After a request or a rejection, further bytes
    /// are ignored and the same outcome is returned.
    mutating func feed(_ bytes: some Collection<UInt8>) -> Outcome {
        if let settled { return settled }
        buffer.append(contentsOf: bytes)
        let outcome = parse()
        if outcome != .needMore { settled = outcome }
        return outcome
    }

    /// The outcome when the client closed its side before the head was complete.
    mutating func finish() -> Outcome {
        if let settled { return settled }
        settled = .reject(status: 400, reason: "the request ended before its header section")
        return settled ?? .needMore
    }

    /// Whether any byte of a request has arrived (blank lines before it do not count).
    var hasStarted: Bool { buffer.contains { $0 != cr && $0 != lf } }

    private mutating func parse() -> Outcome {
        if requestLine == nil {
            // RFC 9112 2.2: ignore empty lines before the request line.
            while lineStart < buffer.count, buffer[lineStart] == cr || buffer[lineStart] == lf { lineStart += 1 }
            guard let end = buffer[lineStart...].firstIndex(of: lf) else {
                return buffer.count - lineStart > maxRequestLineBytes
                    ? .reject(status: 414, reason: "the request line is longer than \(maxRequestLineBytes) bytes")
                    : .needMore
            }
            let line = trimCR(buffer[lineStart..<end])
            guard line.count <= maxRequestLineBytes else {
                return .reject(status: 414, reason: "the request line is longer than \(maxRequestLineBytes) bytes")
            }
            switch parseRequestLine(line) {
            case .success(let parsed): requestLine = parsed
            case .failure(let rejection): return .reject(status: rejection.status, reason: rejection.reason)
            }
            lineStart = end + 1
            headerStart = lineStart
        }
        guard let requestLine, let headerStart else { return .needMore }
        while true {
            guard let end = buffer[lineStart...].firstIndex(of: lf) else {
                return buffer.count - headerStart > maxHeaderBytes ? tooLarge() : .needMore
            }
            if end + 1 - headerStart > maxHeaderBytes { return tooLarge() }
            let line = trimCR(buffer[lineStart..<end])
            lineStart = end + 1
            if line.isEmpty { return finishHead(requestLine) }
            switch parseHeader(line) {
            case .success(let header): headers.append(header)
            case .failure(let rejection): return .reject(status: rejection.status, reason: rejection.reason)
            }
        }
    }

    private func tooLarge() -> Outcome {
        .reject(status: 431, reason: "the header section is larger than \(maxHeaderBytes) bytes")
    }

    private func finishHead(_ line: (method: String, target: String, version: String)) -> Outcome {
        let hosts = headers.filter { $0.name.lowercased() == "host" }.count
        // RFC 9112 3.2: an HTTP/1.1 request without exactly one Host field gets a 400.
        if line.version == "HTTP/1.1", hosts != 1 {
            return .reject(status: 400, reason: hosts == 0 ? "the Host header is missing" : "the Host header is repeated")
        }
        return .request(HTTPRequest(method: line.method, target: line.target, version: line.version, headers: headers))
    }

    private struct Rejection: Error {
        let status: Int
        let reason: String
    }

    private func parseRequestLine(_ line: ArraySlice<UInt8>) -> Result<(method: String, target: String, version: String), Rejection> {
        let parts = line.split(separator: space, omittingEmptySubsequences: false)
        guard parts.count == 3 else {
            return .failure(Rejection(status: 400, reason: "the request line must be: method, target, version"))
        }
        let (method, target, version) = (parts[0], parts[1], parts[2])
        guard !method.isEmpty, method.allSatisfy(isTokenByte) else {
            return .failure(Rejection(status: 400, reason: "the method is not a valid token"))
        }
        // Origin form ("/path?query") or "*"; every byte visible ASCII.
        guard target.first == slash || target.elementsEqual([asterisk]),
              target.allSatisfy({ $0 > space && $0 < 0x7F })
        else { return .failure(Rejection(status: 400, reason: "the request target must be a path starting with '/'")) }
        let versionText = String(decoding: version, as: UTF8.self)
        if versionText != "HTTP/1.1", versionText != "HTTP/1.0" {
            let bytes = Array(version)
            let looksLikeHTTP = bytes.count == 8 && versionText.hasPrefix("HTTP/")
                && isDigit(bytes[5]) && bytes[6] == dot && isDigit(bytes[7])
            return .failure(looksLikeHTTP
                ? Rejection(status: 505, reason: "only HTTP/1.0 and HTTP/1.1 are supported")
                : Rejection(status: 400, reason: "the protocol version is not HTTP/x.y"))
        }
        return .success((String(decoding: method, as: UTF8.self), String(decoding: target, as: UTF8.self), versionText))
    }

    private func parseHeader(_ line: ArraySlice<UInt8>) -> Result<HTTPRequest.Header, Rejection> {
        guard let colon = line.firstIndex(of: colonByte) else {
            return .failure(Rejection(status: 400, reason: "a header line has no ':'"))
        }
        let name = line[line.startIndex..<colon]
        // Rejects obsolete line folding and whitespace before the colon too (RFC 9112 5.1-5.2).
        guard !name.isEmpty, name.allSatisfy(isTokenByte) else {
            return .failure(Rejection(status: 400, reason: "a header name is not a valid token"))
        }
        var value = line[(colon + 1)...]
        while let first = value.first, first == space || first == tab { value = value.dropFirst() }
        while let last = value.last, last == space || last == tab { value = value.dropLast() }
        guard value.allSatisfy({ $0 == tab || ($0 >= space && $0 != 0x7F) }) else {
            return .failure(Rejection(status: 400, reason: "a header value contains control characters"))
        }
        return .success(HTTPRequest.Header(name: String(decoding: name, as: UTF8.self), value: String(decoding: value, as: UTF8.self)))
    }

    private func trimCR(_ line: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        line.last == cr ? line.dropLast() : line
    }

    /// RFC 9110 5.6.2 tchar.
    private func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
        }
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}

private let cr = UInt8(ascii: "\r")
private let lf = UInt8(ascii: "\n")
private let space = UInt8(ascii: " ")
private let tab = UInt8(ascii: "\t")
private let slash = UInt8(ascii: "/")
private let asterisk = UInt8(ascii: "*")
private let dot = UInt8(ascii: ".")
private let colonByte = UInt8(ascii: ":")
