import Foundation
import Synchronization

/// How rendering one distinct spec hash ended.
struct HashResult: Sendable {
    var artifact: StoredArtifact?
    var failure: RenderFailure?
    /// Stopped before it ended: the process is stopping, or the job was cancelled.
    var cancelled = false
    /// This box lost the lease the render was claimed under (see `RenderLeaseLost`): its
    /// outcome is fenced, and says nothing of how the hash renders.
    var leaseLost = false
    /// The shared database went away while the render recorded its submission or took its
    /// turn: nothing is known of the hash, and the job's loop ends as an outage ends it.
    var outage: StoreError?
    var attempts: Int
    var durationMS: Int

    /// How the hash ended, for every request with it: done, failed, blocked or cancelled.
    var state: JobItem.State {
        if cancelled { return .cancelled }
        if artifact != nil { return .done }
        return failure?.kind == .blocked ? .blocked : .failed
    }
}

/// Renders one spec for a job (SPEC §7): attempts with a timeout each when the provider can
/// hang, retried per the policy, the image stored content-addressed before the result is
/// returned — so a result that is committed always has its file.
struct HashRenderer: Sendable {
    let files: ArtifactFiles
    let provider: any RenderProvider
    let settings: RenderSettings
    private let metadataText = MetadataText()

    init(files: ArtifactFiles, provider: any RenderProvider, settings: RenderSettings) {
        self.files = files
        self.provider = provider
        self.settings = settings
    }

    func render(_ request: RenderRequest) async -> HashResult {
        let started = ContinuousClock.now
        func result(artifact: StoredArtifact? = nil, failure: RenderFailure? = nil, cancelled: Bool = false, attempts: Int) -> HashResult {
            HashResult(artifact: artifact, failure: failure, cancelled: cancelled, attempts: attempts, durationMS: milliseconds(since: started))
        }
        var attempts = 0
        while true {
            attempts += 1
            do {
                let image = provider.canHang
                    ? try await withTimeout(settings.itemTimeout) { try await provider.render(request) }
                    : try await provider.render(request)
                let stored = try await files.store(image)
                let artifact = StoredArtifact(
                    hash: request.hash, path: stored.path, imageSHA256: stored.sha256, mime: image.mime, width: image.width,
                    height: image.height, byteCount: image.bytes.count, provider: provider.name,
                    metadata: image.metadata.isEmpty ? nil : metadataText.text(for: image.metadata), compiledPrompt: image.sentPrompt)
                return result(artifact: artifact, attempts: attempts)
            } catch {
                if error is CancellationError || Task.isCancelled { return result(cancelled: true, attempts: attempts) }
                if let lost = error as? RenderLeaseLost {
                    var outcome = result(failure: RenderFailure(.terminal, lost.description), attempts: attempts)
                    outcome.leaseLost = true
                    return outcome
                }
                // The database went away while the provider's call recorded its submission or
                // took its turn (a shared project): the item goes back when the database returns,
                // and its submission journal decides whether it may be sent again.
                if let outage = DatabaseOutage.behind(error) {
                    var outcome = result(failure: RenderFailure(.terminal, outage.description), attempts: attempts)
                    outcome.outage = outage
                    return outcome
                }
                let failure = (error as? RenderFailure) ?? RenderFailure(.terminal, String(describing: error))
                if let delay = settings.retry.delay(after: failure, attempt: attempts) {
                    do { try await Task.sleep(for: .seconds(delay)) } catch { return result(cancelled: true, attempts: attempts) }
                    continue
                }
                let final = failure.isRetryable
                    ? RenderFailure(failure.kind, "\(failure.message) (gave up after \(attempts) attempt\(attempts == 1 ? "" : "s"))") : failure
                return result(failure: final, attempts: attempts)
            }
        }
    }

    /// Runs `body`, failing with a retryable timeout after `seconds`. When the task is
    /// cancelled, `body` decides the outcome: a render that had already finished is returned
    /// (and committed) rather than lost to the timer's cancellation, which would render it
    /// again on the next run.
    private func withTimeout<T: Sendable>(_ seconds: Double, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        return try await withThrowingTaskGroup(of: TimedOutcome<T>.self) { group in
            group.addTask { .value(try await body()) }
            group.addTask {
                do { try await Task.sleep(for: .seconds(seconds)) } catch { return .timerCancelled }
                return .timedOut
            }
            defer { group.cancelAll() }
            while let outcome = try await group.next() {
                switch outcome {
                case .value(let value): return value
                case .timedOut: throw RenderFailure(.retryable(retryAfter: nil), "timed out after \(Int(seconds)) s")
                case .timerCancelled: continue
                }
            }
            throw CancellationError()
        }
    }

    private enum TimedOutcome<T: Sendable>: Sendable { case value(T), timedOut, timerCancelled }
}

private func milliseconds(since start: ContinuousClock.Instant) -> Int {
    Int(((ContinuousClock.now - start).seconds * 1000).rounded())
}

/// Provider metadata as stored text, remembering the last one: renders that share a look share
/// their metadata, and writing the same JSON 100k times is wasted work.
private final class MetadataText: Sendable {
    private let last = Mutex<(JSONObject, String)?>(nil)

    func text(for metadata: JSONObject) -> String {
        if let (object, text) = last.withLock({ $0 }), object == metadata { return text }
        let text = JSONWriter.compact(.object(metadata))
        last.withLock { $0 = (metadata, text) }
        return text
    }
}
