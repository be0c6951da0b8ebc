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
    return slots.values
}

/// Write-once storage for `parallelMap`: distinct indices, so no two threads share a slot.
private final class ResultSlots<Result>: @unchecked Sendable {
    private var storage: [Result?]

    init(count: Int) { storage = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: Result) {
        storage.withUnsafeMutableBufferPointer { $0[index] = value }
    }

    var values: [Result] { storage.map { $0! } }
}
