import Dispatch

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

/// Write-once storage for `parallelMap`: distinct indices, so no two threads share a slot.
///
/// The slots are one fixed allocation written through a pointer. An `Array` would not
/// do: `withUnsafeMutableBufferPointer` is a mutating access to the whole array (a
/// uniqueness check that may copy the buffer), so two threads writing different slots
/// race on the array itself; a check of 100,000 files crashed in that copy.
private final class ResultSlots<Result>: @unchecked Sendable {
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
