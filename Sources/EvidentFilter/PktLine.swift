import Foundation

/// A failure of the conversation with git: malformed framing, or a closed pipe.
public struct FilterProtocolError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// git's pkt-line framing (gitprotocol-common(5)): four hex digits of length, counting
/// themselves, then the data; `0000` is a flush. Read with a buffer over a file
/// descriptor, so a long-running filter never blocks on a partial packet.
struct PktLineReader {
    enum Packet: Equatable {
        case flush
        case data([UInt8])
    }

    static let maxData = 65_516

    private let descriptor: Int32
    private var buffer = [UInt8]()
    private var start = 0
    /// One read buffer for the whole conversation: allocating one per read made the
    /// kernel clear a fresh page range for every 64 KiB of a large file.
    private var chunk = [UInt8](repeating: 0, count: 65_536)

    init(descriptor: Int32) { self.descriptor = descriptor }

    /// Fills the buffer to at least `count` unread bytes; false at end of input.
    private mutating func fill(_ count: Int) throws -> Bool {
        while buffer.count - start < count {
            if start > 0 {
                buffer.removeFirst(start)
                start = 0
            }
            let descriptor = self.descriptor
            let got = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if got < 0 {
                if errno == EINTR { continue }
                throw FilterProtocolError("reading from git failed: \(String(cString: strerror(errno)))")
            }
            if got == 0 { return false }
            buffer += chunk[0..<got]
        }
        return true
    }

    private mutating func take(_ count: Int) -> [UInt8] {
        let out = Array(buffer[start..<start + count])
        start += count
        return out
    }

    /// The next packet, or nil when git closed the pipe between packets.
    mutating func next() throws -> Packet? {
        guard try fill(4) else {
            if buffer.count > start { throw FilterProtocolError("git closed the pipe inside a packet header") }
            return nil
        }
        let header = take(4)
        var length = 0
        for byte in header {
            guard let digit = hexValue(byte) else { throw FilterProtocolError("malformed pkt-line length from git") }
            length = length * 16 + digit
        }
        if length == 0 { return .flush }
        guard length > 4, length - 4 <= Self.maxData else {
            throw FilterProtocolError("unexpected pkt-line length \(length) from git")
        }
        guard try fill(length - 4) else { throw FilterProtocolError("git closed the pipe inside a packet") }
        return .data(take(length - 4))
    }

    /// Text packets up to a flush, without their final newline; nil at end of input.
    mutating func textList() throws -> [String]? {
        var lines = [String]()
        while true {
            guard let packet = try next() else {
                if lines.isEmpty { return nil }
                throw FilterProtocolError("git closed the pipe before a flush")
            }
            switch packet {
            case .flush: return lines
            case .data(var bytes):
                if bytes.last == 0x0A { bytes.removeLast() }
                lines.append(String(decoding: bytes, as: UTF8.self))
            }
        }
    }

    /// Binary content up to a flush.
    mutating func content() throws -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(65_536)
        while true {
            guard let packet = try next() else { throw FilterProtocolError("git closed the pipe inside file content") }
            switch packet {
            case .flush: return out
            case .data(let bytes): out += bytes
            }
        }
    }

    private func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return Int(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return Int(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }
}

/// Writes pkt-lines, whole, to a file descriptor.
struct PktLineWriter {
    let descriptor: Int32

    private func writeAll(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw FilterProtocolError("writing to git failed: \(String(cString: strerror(errno)))")
            }
            offset += written
        }
    }

    private static func header(_ length: Int) -> [UInt8] {
        Array(String(format: "%04x", length).utf8)
    }

    func flush() throws { try writeAll(Array("0000".utf8)) }

    func text(_ line: String) throws {
        let bytes = Array((line + "\n").utf8)
        try writeAll(Self.header(bytes.count + 4) + bytes)
    }

    /// Content split into packets of at most 65,516 bytes, then a flush.
    func content(_ bytes: [UInt8]) throws {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count + bytes.count / PktLineReader.maxData * 4 + 8)
        var offset = 0
        while offset < bytes.count {
            let end = min(offset + PktLineReader.maxData, bytes.count)
            out += Self.header(end - offset + 4)
            out += bytes[offset..<end]
            offset = end
        }
        out += Array("0000".utf8)
        try writeAll(out)
    }
}
