/// Inline code masking: code spans hold text that is not prose (no citations, no
/// directives), so they are blanked before those are looked for, keeping every column.
extension MarkdownParser {
    /// Replaces backtick code spans (on one line) with spaces, one space per Unicode
    /// scalar, so every later column is unchanged.
    static func maskInlineCode(_ line: String) -> String {
        guard line.containsByte(UInt8(ascii: "`")) else { return line }
        // An ASCII line's bytes are its scalars: mask them in place, without an array of
        // `Unicode.Scalar` and a String rebuilt one scalar at a time.
        if line.isAllASCII {
            var bytes = Array(line.utf8)
            maskCodeSpans(in: &bytes, backtick: UInt8(ascii: "`"), space: UInt8(ascii: " "))
            return String(decoding: bytes, as: UTF8.self)
        }
        var scalars = Array(line.unicodeScalars)
        maskCodeSpans(in: &scalars, backtick: "`", space: " ")
        var result = ""
        result.unicodeScalars.append(contentsOf: scalars)
        return result
    }

    /// `maskInlineCode` on a line's scalars, or its bytes when it is ASCII.
    private static func maskCodeSpans<Unit: Equatable>(in scalars: inout [Unit], backtick: Unit, space: Unit) {
        // Every backtick run once, then for each opening run the next run of the same
        // length: one cursor per length, so a line of runs of every length from 1 to
        // 4,000 is not rescanned for each of them.
        var runs: [(start: Int, length: Int)] = []
        var runsOfLength: [Int: [Int]] = [:]
        var position = 0
        while position < scalars.count {
            guard scalars[position] == backtick else {
                position += 1
                continue
            }
            var length = 0
            while position + length < scalars.count, scalars[position + length] == backtick { length += 1 }
            runsOfLength[length, default: []].append(runs.count)
            runs.append((position, length))
            position += length
        }
        var cursors: [Int: Int] = [:]
        var opening = 0
        while opening < runs.count {
            let run = runs[opening]
            let candidates = runsOfLength[run.length] ?? []
            var cursor = cursors[run.length] ?? 0
            while cursor < candidates.count, candidates[cursor] <= opening { cursor += 1 }
            cursors[run.length] = cursor
            guard cursor < candidates.count else {
                opening += 1
                continue
            }
            let closing = runs[candidates[cursor]]
            for index in run.start..<(closing.start + closing.length) { scalars[index] = space }
            opening = candidates[cursor] + 1
        }
    }
}
