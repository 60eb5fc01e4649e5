/// A min-heap of scheduled batch transitions, so advancing the clock costs nothing when nothing is due.
struct EventQueue: Sendable {
    struct Event: Sendable {
        var time: Int64
        var sequence: Int
        var batchIndex: Int
        var generation: Int
    }

    private var heap: [Event] = []
    private var counter = 0

    var first: Event? { heap.first }
    var count: Int { heap.count }

    mutating func push(time: Int64, batchIndex: Int, generation: Int) {
        counter += 1
        heap.append(Event(time: time, sequence: counter, batchIndex: batchIndex, generation: generation))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard less(heap[child], heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    mutating func popFirst() -> Event? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let top = heap.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < heap.count, less(heap[left], heap[smallest]) { smallest = left }
            if right < heap.count, less(heap[right], heap[smallest]) { smallest = right }
            if smallest == parent { break }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
        return top
    }

    private func less(_ a: Event, _ b: Event) -> Bool { (a.time, a.sequence) < (b.time, b.sequence) }
}
