import Dispatch
import Foundation

/// Maps `transform` over `elements` on every core, keeping order.
///
/// Loading and checking are per file or per person and independent, so they spread
/// across cores without locks; each result is written to its own slot.
public func parallelMap<Element: Sendable, Result: Sendable>(
    _ elements: [Element], _ transform: @Sendable (Element) -> Result
) -> [Result] {
    let count = elements.count
    guard count > 1 else { return elements.map(transform) }
    let slots = ResultSlots<Result>(count: count)
    DispatchQueue.concurrentPerform(iterations: count) { index in
        slots.set(index, transform(elements[index]))
    }
    return slots.takeValues()
}

/// Runs `block` over `count` indices cut into runs of `blockSize` consecutive ones, on
/// every core and in order of the runs, with `side` run once beside them.
///
/// Why: the loader assembles the organisation from each run of files while that run is
/// fresh in its core's cache, instead of on one core after every file is loaded (a tenth
/// of a second of a check at 10,000 people with the other core idle); `side` builds what
/// needs the whole list but not the runs (the index of paths).
func parallelBlocks<Part: Sendable, Side: Sendable>(
    count: Int, blockSize: Int, side: @Sendable () -> Side, _ block: @Sendable (Range<Int>) -> Part
) -> (side: Side, parts: [Part]) {
    let blocks = (count + blockSize - 1) / blockSize
    let parts = ResultSlots<Part>(count: blocks)
    let sideResult = ResultSlots<Side>(count: 1)
    // Task 0, started first, is `side`; tasks 1...blocks are the runs.
    DispatchQueue.concurrentPerform(iterations: blocks + 1) { task in
        if task == 0 {
            sideResult.set(0, side())
        } else {
            let start = (task - 1) * blockSize
            parts.set(task - 1, block(start..<min(count, start + blockSize)))
        }
    }
    return (sideResult.takeValues()[0], parts.takeValues())
}

/// `parallelBlocks` with nothing beside the runs.
func parallelBlocks<Part: Sendable>(count: Int, blockSize: Int, _ block: @Sendable (Range<Int>) -> Part) -> [Part] {
    let nothing: @Sendable () -> Void = {}
    return parallelBlocks(count: count, blockSize: blockSize, side: nothing, block).parts
}

/// An uninitialised buffer that parallel tasks initialise, each at its own positions.
struct SharedBuffer<Element>: @unchecked Sendable {
    private let base: UnsafeMutablePointer<Element>?

    init(_ buffer: UnsafeMutableBufferPointer<Element>) {
        base = buffer.baseAddress
    }

    func initialize(_ position: Int, to value: Element) {
        (base! + position).initialize(to: value)
    }
}

/// Lets go of `value` on another thread. Dropping the last reference to 54,000 strings
/// releases each of them: work that need not hold up the one thread that is waiting for
/// it. Nothing else may depend on when `value` is freed.
func releaseAside<Value>(_ value: Value) {
    let box = UncheckedBox(value)
    DispatchQueue.global(qos: .utility).async { withExtendedLifetime(box) {} }
}

private final class UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// Write-once storage for `parallelMap`: distinct indices, so no two threads share a slot.
///
/// The slots are one fixed allocation written through a pointer. An `Array` would not
/// do: `withUnsafeMutableBufferPointer` is a mutating access to the whole array (a
/// uniqueness check that may copy the buffer), so two threads writing different slots
/// race on the array itself; a check of 100,000 files crashed in that copy.
final class ResultSlots<Result>: @unchecked Sendable {
    private let storage: UnsafeMutableBufferPointer<Result?>

    init(count: Int) {
        storage = .allocate(capacity: count)
        storage.initialize(repeating: nil)
    }

    deinit {
        storage.deinitialize()
        storage.deallocate()
    }

    func set(_ index: Int, _ value: Result) {
        storage[index] = value
    }

    /// Moves every result out, leaving the slots empty. Copying them instead would
    /// retain and then release every string and array inside 54,000 loaded files, on
    /// one thread, between two parallel phases.
    func takeValues() -> [Result] {
        [Result](unsafeUninitializedCapacity: storage.count) { buffer, initialized in
            guard let target = buffer.baseAddress, let source = storage.baseAddress else { return }
            for index in 0..<storage.count {
                (target + index).initialize(to: (source + index).move()!)
                (source + index).initialize(to: nil)
                initialized = index + 1
            }
        }
    }
}

/// Runs two independent computations at once, on two cores when there are two.
func concurrently<First: Sendable, Second: Sendable>(
    _ first: @Sendable () -> First, _ second: @Sendable () -> Second
) -> (First, Second) {
    let results = parallelMap([true, false]) { isFirst -> Either<First, Second> in
        isFirst ? .first(first()) : .second(second())
    }
    guard case .first(let a) = results[0], case .second(let b) = results[1] else {
        preconditionFailure("parallelMap keeps the order of its elements")
    }
    return (a, b)
}

private enum Either<First: Sendable, Second: Sendable>: Sendable {
    case first(First)
    case second(Second)
}

/// A flag any thread may raise, read once the threads are done.
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var raised = false

    func set() {
        lock.lock()
        raised = true
        lock.unlock()
    }

    var isSet: Bool {
        lock.lock()
        defer { lock.unlock() }
        return raised
    }
}
