// The solver runs millions of times per search; its intermediate lists (roots of a cubic, the τ
// they give) hold at most six values, so they live inline on the stack instead of in arrays.

/// At most six values stored inline: an append-only list that never allocates.
public struct InlineList<Element>: RandomAccessCollection {
    /// How many values fit.
    public static var capacity: Int { 6 }
    private var storage: InlineArray<6, Element>
    /// The number of values held.
    public private(set) var count = 0

    /// An empty list; `filler` occupies the unused slots and is never read.
    init(filler: Element) { storage = InlineArray(repeating: filler) }

    /// The first index, 0.
    public var startIndex: Int { 0 }
    /// `count`: the valid indices are 0..<count.
    public var endIndex: Int { count }
    /// Value i, for 0 ≤ i < count (traps otherwise).
    public subscript(i: Int) -> Element {
        precondition(i >= 0 && i < count, "InlineList: index \(i) out of 0..<\(count)")
        return storage[i]
    }

    mutating func append(_ value: Element) {
        precondition(count < Self.capacity, "InlineList: more than \(Self.capacity) values")
        storage[count] = value
        count += 1
    }

    /// Sorts in place by `areInIncreasingOrder` (insertion sort: the lists are tiny).
    mutating func sort(by areInIncreasingOrder: (Element, Element) -> Bool) {
        guard count > 1 else { return }
        for i in 1..<count {
            let value = storage[i]
            var j = i
            while j > 0 && areInIncreasingOrder(value, storage[j - 1]) {
                storage[j] = storage[j - 1]
                j -= 1
            }
            storage[j] = value
        }
    }
}
