import Synchronization

/// Encoded images, ready to write: filled off the UI thread, read by the UI loop. Holds the few
/// most recent (an encoded 1024×1024 PNG is about 1.4 MB of base64).
public final class GraphicsCache: Sendable {
    private struct Entries {
        var sequences: [String: [[UInt8]]] = [:]
        var order: [String] = []
    }

    private let entries = Mutex(Entries())
    private let limit: Int

    public init(limit: Int = 6) {
        self.limit = max(1, limit)
    }

    public func sequences(for key: String) -> [[UInt8]]? {
        entries.withLock { $0.sequences[key] }
    }

    public func store(_ sequences: [[UInt8]], for key: String) {
        entries.withLock { entries in
            if entries.sequences.updateValue(sequences, forKey: key) == nil { entries.order.append(key) }
            while entries.order.count > limit { entries.sequences[entries.order.removeFirst()] = nil }
        }
    }
}
