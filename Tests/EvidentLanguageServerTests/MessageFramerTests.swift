import Foundation
import XCTest

@testable import EvidentLanguageServer

final class MessageFramerTests: XCTestCase {
    private func frame(_ body: String) -> [UInt8] { Array(MessageFramer.frame(body)) }

    private func drain(_ framer: inout MessageFramer) -> [MessageFramer.Frame] {
        var frames: [MessageFramer.Frame] = []
        while let frame = framer.next() { frames.append(frame) }
        return frames
    }

    private func message(_ text: String) -> MessageFramer.Frame { .message(Data(text.utf8)) }

    func testOneMessage() {
        var framer = MessageFramer()
        framer.append(frame(#"{"a":1}"#))
        XCTAssertEqual(drain(&framer), [message(#"{"a":1}"#)])
        XCTAssertEqual(framer.pendingByteCount, 0)
    }

    func testMessageDeliveredOneByteAtATime() {
        var framer = MessageFramer()
        var frames: [MessageFramer.Frame] = []
        let body = #"{"text":"héllo 😀"}"#
        for byte in frame(body) {
            framer.append([byte])
            frames += drain(&framer)
        }
        XCTAssertEqual(frames, [message(body)])
    }

    func testSeveralMessagesInOneRead() {
        var framer = MessageFramer()
        framer.append(frame("[1]") + frame("[2]") + frame("[3]").prefix(10))
        XCTAssertEqual(drain(&framer), [message("[1]"), message("[2]")])
        framer.append(frame("[3]").dropFirst(10))
        XCTAssertEqual(drain(&framer), [message("[3]")])
    }

    func testContentLengthCountsBytesNotCharacters() {
        var framer = MessageFramer()
        let body = #""ü😀""#  // 1 + 2 + 4 + 1 bytes
        framer.append(Array("Content-Length: 8\r\n\r\n".utf8) + Array(body.utf8))
        XCTAssertEqual(drain(&framer), [message(body)])
    }

    func testOtherHeadersAndCaseAreAccepted() {
        var framer = MessageFramer()
        let text = "content-type: application/vscode-jsonrpc; charset=utf-8\r\nCONTENT-LENGTH:  2\r\n\r\n{}"
        framer.append(Array(text.utf8))
        XCTAssertEqual(drain(&framer), [message("{}")])
    }

    func testBareNewlineHeadersAreAccepted() {
        var framer = MessageFramer()
        framer.append(Array("Content-Length: 2\n\n{}".utf8))
        XCTAssertEqual(drain(&framer), [message("{}")])
    }

    func testHeaderWithoutContentLengthIsReportedAndSkipped() {
        var framer = MessageFramer()
        framer.append(Array("Content-Type: x\r\n\r\n".utf8) + frame("[1]"))
        let frames = drain(&framer)
        XCTAssertEqual(frames.count, 2)
        guard case .invalidHeader = frames[0] else { return XCTFail("expected an invalid header first: \(frames)") }
        XCTAssertEqual(frames[1], message("[1]"))
    }

    func testNonNumericContentLengthIsReported() {
        var framer = MessageFramer()
        framer.append(Array("Content-Length: lots\r\n\r\n".utf8) + frame("[2]"))
        let frames = drain(&framer)
        guard case .invalidHeader(let problem)? = frames.first else { return XCTFail("\(frames)") }
        XCTAssertTrue(problem.contains("not a number"), problem)
        XCTAssertEqual(frames.last, message("[2]"))
    }

    func testJunkBeforeAHeaderResynchronises() {
        var framer = MessageFramer()
        framer.append(Array("garbage{\"x\":1}".utf8) + frame("[3]"))
        let frames = drain(&framer)
        guard case .invalidHeader? = frames.first else { return XCTFail("\(frames)") }
        XCTAssertEqual(frames.last, message("[3]"))
    }

    func testEndlessJunkIsDroppedNotBuffered() {
        var framer = MessageFramer()
        framer.append([UInt8](repeating: 0x41, count: MessageFramer.maximumHeaderBytes + 10))
        guard case .invalidHeader? = framer.next() else { return XCTFail("junk should be reported") }
        XCTAssertEqual(framer.pendingByteCount, 0)
        framer.append(frame("[4]"))
        XCTAssertEqual(drain(&framer), [message("[4]")])
    }

    func testOversizedBodyIsSkipped() {
        var framer = MessageFramer()
        let length = MessageFramer.maximumBodyBytes + 1
        framer.append(Array("Content-Length: \(length)\r\n\r\n".utf8))
        guard case .invalidHeader? = framer.next() else { return XCTFail("oversize should be reported") }
        // The body streams past without being kept.
        framer.append([UInt8](repeating: 0x20, count: length))
        XCTAssertNil(framer.next())
        XCTAssertEqual(framer.pendingByteCount, 0)
        framer.append(frame("[5]"))
        XCTAssertEqual(drain(&framer), [message("[5]")])
    }

    /// The issue's case: a huge length and no body at all. The next message is read at
    /// once instead of after 64 MiB that never come.
    func testOversizedLengthWithoutABodyRecoversAtTheNextHeader() {
        var framer = MessageFramer()
        framer.append(Array("Content-Length: 999999999999\r\n\r\n".utf8) + frame("[6]") + frame("[7]"))
        let frames = drain(&framer)
        XCTAssertEqual(frames.count, 3, "\(frames)")
        guard case .invalidHeader(let problem)? = frames.first else { return XCTFail("\(frames)") }
        XCTAssertTrue(problem.contains("larger than"), problem)
        XCTAssertEqual(Array(frames.dropFirst()), [message("[6]"), message("[7]")])
    }

    /// A refused body that does arrive, mentioning `Content-Length: 5` inside a JSON
    /// string, and a next header split across two reads.
    func testOversizedBodyMentioningAHeaderIsSkippedWhole() {
        var framer = MessageFramer()
        let length = MessageFramer.maximumBodyBytes + 1
        framer.append(Array("Content-Length: \(length)\r\n\r\n".utf8))
        guard case .invalidHeader? = framer.next() else { return XCTFail("oversize should be reported") }
        var body = Array(#"{"text":"Content-Length: 5\r\n\r\nxx"#.utf8)
        body += [UInt8](repeating: 0x61, count: length - body.count - 2) + Array(#""}"#.utf8)
        framer.append(body)
        XCTAssertNil(framer.next())
        XCTAssertLessThan(framer.pendingByteCount, 64)
        let next = frame("[8]")
        framer.append(next.prefix(9))
        XCTAssertNil(framer.next())
        framer.append(next.dropFirst(9))
        XCTAssertEqual(drain(&framer), [message("[8]")])
    }

    func testIncompleteBodyWaits() {
        var framer = MessageFramer()
        framer.append(Array("Content-Length: 10\r\n\r\n{\"a\":".utf8))
        XCTAssertNil(framer.next())
        framer.append(Array("12}  ".utf8))
        XCTAssertEqual(drain(&framer), [message(#"{"a":12}  "#)])
    }

    func testJSONRoundTrip() throws {
        let text = #"{"id":7,"params":{"b":[true,null,1.5,"\u0001\"\\\n😀"],"n":-3},"s":"x"}"#
        let value = try JSON.parse(Data(text.utf8))
        XCTAssertEqual(value["id"], .integer(7))
        XCTAssertEqual(value.at("params", "n"), .integer(-3))
        XCTAssertEqual(value.at("params", "b")?[0], .bool(true))
        XCTAssertEqual(value.at("params", "b")?[2], .double(1.5))
        XCTAssertEqual(try JSON.parse(Data(value.serialized.utf8)), value)
        XCTAssertThrowsError(try JSON.parse(Data("{\"a\":".utf8)))
        XCTAssertThrowsError(try JSON.parse(Data([0x7B, 0xFF, 0x7D])))
    }
}
