import Foundation

/// Splits the byte stream from the client into JSON-RPC message bodies.
///
/// The base protocol frames every message as `Content-Length: N\r\n` (other headers
/// allowed), an empty line, then exactly N bytes of JSON. A pipe hands those bytes over
/// in arbitrary pieces: half a header, or three messages at once. So bytes are appended
/// with `append(_:)` and whole frames taken with `next()` until it returns nil.
///
/// A broken header must not wedge the server: a header block without a usable
/// `Content-Length` is dropped and reported as `.invalidHeader`, and reading resumes at
/// the next byte, so the following well-formed message is still understood. A length
/// over the limit is reported the same way and reading resumes at the next header:
/// waiting for 64 MiB that may never come would make the server ignore every later
/// message. Bare `\n` line ends are accepted as well as `\r\n`, since some hand-written
/// clients send them.
public struct MessageFramer: Sendable {
    /// What the next complete piece of the stream is.
    public enum Frame: Equatable, Sendable {
        case message(Data)
        case invalidHeader(String)
    }

    /// Bodies larger than this are refused (their bytes are skipped up to the next
    /// header, not buffered): no review document is anywhere near it, and buffering it
    /// could exhaust memory.
    public static let maximumBodyBytes = 64 * 1024 * 1024
    /// A header block longer than this without an empty line is junk, not a header.
    public static let maximumHeaderBytes = 8 * 1024

    private var buffer: [UInt8] = []
    private var start = 0
    /// After an oversized length: bytes are thrown away up to the next complete
    /// `Content-Length: <digits>` line, whether the refused body follows or not.
    private var skippingToHeader = false

    public init() {}

    /// Bytes received but not yet returned as frames.
    public var pendingByteCount: Int { buffer.count - start }

    public mutating func append<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        buffer.append(contentsOf: bytes)
    }

    /// The next complete frame, or nil when more bytes are needed.
    public mutating func next() -> Frame? {
        defer { compact() }
        if skippingToHeader {
            guard let header = nextHeaderLine() else { return nil }
            start = header
            skippingToHeader = false
        }
        // Blank lines between messages are tolerated.
        while start < buffer.count, buffer[start] == 0x0D || buffer[start] == 0x0A { start += 1 }
        guard start < buffer.count else { return nil }

        guard let header = findHeaderEnd() else {
            if buffer.count - start > MessageFramer.maximumHeaderBytes {
                // No header ends in sight: skip to the next thing that looks like one.
                let junkEnd = resyncPosition(before: buffer.count) ?? buffer.count
                let junk = junkEnd - start
                start = junkEnd
                return .invalidHeader("\(junk) bytes without a message header")
            }
            return nil
        }
        let headerText = String(decoding: buffer[start..<header.contentEnd], as: UTF8.self)
        var length: Int?
        var problem: String?
        for rawLine in headerText.split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty else { continue }
            guard let colon = line.firstIndex(of: ":") else {
                problem = "malformed header line '\(line.prefix(80))'"
                continue
            }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if name == "content-length" {
                if let number = Int(value), number >= 0 {
                    length = number
                } else {
                    problem = "Content-Length '\(value.prefix(40))' is not a number"
                }
            }
        }
        guard let length else {
            // Junk glued in front of a real header (a stray write, a body whose length was
            // wrong) resynchronises at the header; otherwise the whole block is dropped.
            start = resyncPosition(before: header.contentEnd) ?? header.bodyStart
            return .invalidHeader(problem ?? "message header has no Content-Length")
        }
        if length > MessageFramer.maximumBodyBytes {
            start = header.bodyStart
            skippingToHeader = true
            return .invalidHeader(
                "message of \(length) bytes is larger than the \(MessageFramer.maximumBodyBytes)-byte limit; skipped to the next header"
            )
        }
        guard buffer.count - header.bodyStart >= length else { return nil }
        let body = Data(buffer[header.bodyStart..<(header.bodyStart + length)])
        start = header.bodyStart + length
        return .message(body)
    }

    /// The first `Content-Length` after `start` (not at it), case-insensitively.
    private func resyncPosition(before end: Int) -> Int? {
        let needle = Array("content-length".utf8)
        guard end - start > needle.count else { return nil }
        var index = start + 1
        while index + needle.count <= end {
            var matches = true
            for offset in 0..<needle.count {
                var byte = buffer[index + offset]
                if byte >= 0x41 && byte <= 0x5A { byte += 0x20 }
                if byte != needle[offset] {
                    matches = false
                    break
                }
            }
            if matches { return index }
            index += 1
        }
        return nil
    }

    /// The start of the next `Content-Length:` header line that is complete (digits, then
    /// a raw line end), or nil after consuming every byte that cannot begin one. Such a
    /// line cannot occur inside a JSON body (a string holds no raw line end, and outside
    /// strings JSON has no letters but `true`, `false` and `null`), so a refused body that
    /// does arrive is skipped whole, and a message sent right after is found.
    private mutating func nextHeaderLine() -> Int? {
        let needle = Array("content-length".utf8)
        var index = start
        while index < buffer.count {
            var byte = buffer[index]
            if byte >= 0x41 && byte <= 0x5A { byte += 0x20 }
            guard byte == needle[0] else {
                index += 1
                continue
            }
            switch headerLine(at: index, needle) {
            case .some(true): return index
            case .some(false): index += 1
            case .none:
                // Possibly a header cut off by the end of the read: keep it for the next.
                start = index
                return nil
            }
        }
        start = buffer.count
        return nil
    }

    /// Whether a complete `Content-Length: <digits>` line starts at `index`; nil when the
    /// bytes so far could still become one.
    private func headerLine(at index: Int, _ needle: [UInt8]) -> Bool? {
        var position = index
        for expected in needle {
            guard position < buffer.count else { return nil }
            var byte = buffer[position]
            if byte >= 0x41 && byte <= 0x5A { byte += 0x20 }
            guard byte == expected else { return false }
            position += 1
        }
        func skipBlanks() {
            while position < buffer.count, buffer[position] == 0x20 || buffer[position] == 0x09 { position += 1 }
        }
        skipBlanks()
        guard position < buffer.count else { return position - index < 64 ? nil : false }
        guard buffer[position] == UInt8(ascii: ":") else { return false }
        position += 1
        skipBlanks()
        var digits = 0
        while position < buffer.count, (0x30...0x39).contains(buffer[position]) {
            digits += 1
            position += 1
        }
        guard position < buffer.count else { return position - index < 64 ? nil : false }
        guard digits > 0 else { return false }
        return buffer[position] == 0x0D || buffer[position] == 0x0A
    }

    /// Finds the empty line that ends the header block at `start`.
    private func findHeaderEnd() -> (contentEnd: Int, bodyStart: Int)? {
        var index = start
        let limit = min(buffer.count, start + MessageFramer.maximumHeaderBytes)
        while index < limit {
            if buffer[index] == 0x0A {
                // `\n\n` or `\n\r\n` ends the header.
                if index + 1 < buffer.count, buffer[index + 1] == 0x0A { return (index, index + 2) }
                if index + 2 < buffer.count, buffer[index + 1] == 0x0D, buffer[index + 2] == 0x0A {
                    return (index, index + 3)
                }
            }
            index += 1
        }
        return nil
    }

    /// Drops consumed bytes once they dominate the buffer, so memory stays bounded
    /// without copying on every frame.
    private mutating func compact() {
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: buffer.count < 1 << 20)
            start = 0
        } else if start > 64 * 1024, start > buffer.count / 2 {
            buffer.removeFirst(start)
            start = 0
        }
    }

    /// Frames a message body for sending.
    public static func frame(_ body: String) -> Data {
        let bytes = Array(body.utf8)
        var data = Data("Content-Length: \(bytes.count)\r\n\r\n".utf8)
        data.append(contentsOf: bytes)
        return data
    }
}
