/// A bounds-checked reader of the SSH wire encoding (RFC 4251 §5: uint32 and
/// length-prefixed strings), used for public key blobs and OpenSSH private key files.
/// Every read checks the remaining length first, so a lying length field is an error.
struct SSHWireReader {
    private let bytes: [UInt8]
    private(set) var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isAtEnd: Bool { offset == bytes.count }
    var remaining: Int { bytes.count - offset }

    mutating func readUInt32() -> UInt32? {
        guard remaining >= 4 else { return nil }
        var value: UInt32 = 0
        for index in offset..<offset + 4 { value = value << 8 | UInt32(bytes[index]) }
        offset += 4
        return value
    }

    mutating func readString() -> [UInt8]? {
        guard let length = readUInt32(), UInt64(length) <= UInt64(remaining) else { return nil }
        let start = offset
        offset += Int(length)
        return Array(bytes[start..<offset])
    }

    mutating func readBytes(_ count: Int) -> [UInt8]? {
        guard count >= 0, count <= remaining else { return nil }
        let start = offset
        offset += count
        return Array(bytes[start..<offset])
    }

    /// Everything not read yet.
    mutating func readRest() -> [UInt8] {
        let rest = Array(bytes[offset...])
        offset = bytes.count
        return rest
    }
}

enum SSHWireWriter {
    static func string(_ bytes: [UInt8]) -> [UInt8] {
        let length = UInt32(bytes.count)
        return [UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)]
            + bytes
    }
}
