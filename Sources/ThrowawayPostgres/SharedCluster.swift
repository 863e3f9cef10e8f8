import AutoDirectorCore
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

extension ThrowawayPostgres {
    /// One cluster for the whole test process: started on first use (about a second), then each
    /// test takes a fresh database of it; destroyed when the process exits.
    public static func shared() throws -> ThrowawayPostgres {
        try SharedCluster.state.withLock { state in
            if let cluster = state.cluster { return cluster }
            if let failure = state.failure { throw ThrowawayPostgresError(failure) }
            do {
                let cluster = try ThrowawayPostgres.start()
                state.cluster = cluster
                atexit { SharedCluster.destroy() }
                return cluster
            } catch {
                state.failure = "\(error)"
                throw error
            }
        }
    }

    /// A new empty database on the shared cluster, named uniquely.
    public static func freshDatabase() throws -> DatabaseURL {
        let cluster = try shared()
        let number = SharedCluster.databases.add(1, ordering: .relaxed).newValue
        return try cluster.createDatabase("test_\(number)")
    }
}

private enum SharedCluster {
    struct State {
        var cluster: ThrowawayPostgres?
        var failure: String?
    }

    static let state = Mutex(State())
    static let databases = Atomic<Int>(0)

    static func destroy() {
        state.withLock { $0.cluster }?.destroy()
    }
}
