/// Percent-encoding of paths for SARIF URIs (RFC 3986).
///
/// Only unreserved characters and `/` are left as they are; every other UTF-8 byte
/// (spaces, `#`, `?`, `%`, `:`, non-ASCII) becomes `%XX`. Encoding more than strictly
/// needed is always valid, and leaving out sub-delimiters avoids the cases where
/// they would change meaning (`#` starting a fragment, `:` in a first segment read
/// as a scheme).
public enum URIEncoding {
    public static func percentEncodePath(_ path: String) -> String {
        var result = ""
        result.reserveCapacity(path.utf8.count)
        for byte in path.utf8 {
            if isUnreserved(byte) || byte == UInt8(ascii: "/") {
                result.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                result += "%" + hexDigits(byte)
            }
        }
        return result
    }

    /// `file:///abs/path/` for a directory: absolute, percent-encoded, ending in `/`
    /// so that relative URIs resolve inside it rather than beside it.
    public static func fileURI(forDirectory absolutePath: String) -> String {
        let path = PathDisplay.normalize(absolutePath)
        let withSlash = path.hasSuffix("/") ? path : path + "/"
        return "file://" + percentEncodePath(withSlash)
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    private static func hexDigits(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0x0F)])
    }
}
