import Foundation
import PostgresNIO
import Synchronization
import Testing
import ThrowawayPostgres
@testable import AutoDirectorCore

/// A render's image rows are written before its turn among the project's writers; when that
/// meets a writer holding the turn and inserting the same image (a deadlock the server breaks by
/// aborting one), the render's transaction is run again and both land.
@Suite(.enabled(if: ThrowawayPostgres.isAvailable)) struct PostgresWriterTurnTests {
    @Test func aDeadlockWithAWriterHoldingTheTurnIsRunAgain() throws {
        let project = try TestProject(.postgres)
        let engine = try project.engine()
        let session = (engine.store as! PostgresStore).session
        let digest = String(repeating: "d", count: 64)
        let insertImage: PostgresQuery = """
            INSERT INTO images (sha256, path, mime, byte_count) VALUES (\(digest), 'artifacts/d.png', 'image/png', 1)
            ON CONFLICT (sha256) DO NOTHING
            """
        // The other writer takes the turn first and holds it.
        let holder = try session.connect()
        defer { PostgresSession.close(holder) }
        let other = PostgresTransaction(connection: holder, logger: session.logger)
        try other.execute("BEGIN")
        try other.execute("UPDATE project_state SET generation = generation + 1 WHERE id = 1")

        let attempts = Atomic<Int>(0)
        let renderDone = DispatchSemaphore(value: 0)
        let renderError = Mutex<(any Error)?>(nil)
        Thread.detachNewThread {
            do {
                try session.write(unserialized: { tx in
                    attempts.add(1, ordering: .relaxed)
                    try tx.execute(insertImage)
                }) { _ in }
            } catch {
                renderError.withLock { $0 = error }
            }
            renderDone.signal()
        }
        // Once the render's transaction waits for the turn, the holder inserts the same image:
        // each now waits for the other.
        let deadline = Date().addingTimeInterval(30)
        while try other.one("SELECT COUNT(*) FROM pg_locks WHERE NOT granted", as: Int64.self) == 0 {
            try #require(Date() < deadline, "the render's transaction never waited for the turn")
            Thread.sleep(forTimeInterval: 0.01)
        }
        do {
            try other.execute(insertImage)
            try other.execute("COMMIT")
        } catch {
            // The server chose the holder to abort: the render's transaction goes on.
            _ = try? other.execute("ROLLBACK")
        }
        #expect(renderDone.wait(timeout: .now() + 30) == .success)
        #expect(renderError.withLock { $0 } == nil)
        // The render's transaction waited first, so its deadlock check ran first and aborted it.
        // Its second attempt may take the image's row lock before the holder's waiting insert
        // does and deadlock once more (seen under CI's load); it is run again until it lands.
        #expect(attempts.load(ordering: .relaxed) >= 2, "the render's transaction was not run again")
        #expect(try session.read { tx in try tx.one("SELECT COUNT(*) FROM images WHERE sha256 = \(digest)", as: Int64.self) } == 1)
    }
}
