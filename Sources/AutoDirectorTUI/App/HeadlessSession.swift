import AutoDirectorCore
import Foundation

/// The TUI without a terminal: the same state, update, bridge and views, driven by keys given
/// in code. Tests script it and wait for idle (never sleep); `bench tui` times its frames.
/// Used from one thread at a time (`settled` hands it to a thread of its own while it waits).
public final class HeadlessSession: @unchecked Sendable {
    public private(set) var state: AppState
    public let inbox = EventInbox()
    public let bridge: EngineBridge
    /// Effects the terminal would handle (copy, edit, quit), in order.
    public private(set) var terminalEffects: [Effect] = []
    /// With an image mode: what the terminal's images are written through, and the bytes written.
    private var presenter: GraphicsPresenter?
    public private(set) var graphicsBytes = 0

    /// `watchInterval`: poll the project for other writers every so many seconds, as the
    /// terminal UI does (nil: not at all).
    public init(engine: Engine, width: Int, height: Int, batchID: String? = nil, configuration: EngineBridge.Configuration, watchInterval: Double? = nil) {
        state = AppState(width: width, height: height, title: "test", batchID: batchID)
        bridge = EngineBridge(engine: engine, configuration: configuration, post: inbox.post)
        if let watchInterval { bridge.watchChanges(every: watchInterval) }
        run(Update.reload(&state))
    }

    deinit { bridge.stopWatching() }

    public var frame: Frame { Screen.render(state) }

    /// Shows images as the terminal UI does in a graphics mode: encoded off this thread,
    /// written (here: counted) after each `draw`.
    public func showImages(_ mode: ImageMode, cell: CellPixels = .assumed) {
        state.imageMode = mode
        state.cellPixels = cell
        let cache = GraphicsCache()
        presenter = GraphicsPresenter(
            cache: cache, insideTmux: false,
            output: .init(write: { [unowned self] in graphicsBytes += $0.count }, repaintRows: { _, _ in }),
            request: { [bridge] placements in bridge.encodeGraphics(placements, cell: cell, insideTmux: false, into: cache) })
    }

    /// The frame, with its images presented as the UI loop presents them.
    @discardableResult
    public func draw() -> Frame {
        let frame = Screen.render(state)
        presenter?.present(frame.graphics, repainted: false)
        return frame
    }

    /// Applies keys as a person would type them, one by one.
    public func press(_ keys: Key...) {
        for key in keys { run(Update.update(&state, .key(key))) }
    }

    /// Types text into a prompt, character by character.
    public func type(_ text: String) {
        for character in text { press(.character(character)) }
    }

    public func send(_ event: AppEvent) {
        run(Update.update(&state, event))
    }

    /// Handles what the bridge posts until nothing is in flight (renders included, unless
    /// `renders` is false) or `timeout` passes; returns whether it got idle.
    @discardableResult
    public func settle(timeout: Double = 10, renders: Bool = true) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let events = inbox.drain()
            for event in events { run(Update.update(&state, event)) }
            if events.isEmpty && bridge.isIdle && (!renders || !bridge.isRendering) {
                // Whatever was answered last may have been posted after the drain.
                if inbox.wait(until: Date().addingTimeInterval(0.005)) { continue }
                return true
            }
            _ = inbox.wait(until: min(deadline, Date().addingTimeInterval(0.05)))
        }
        return false
    }

    /// `settle` on a thread of its own, so an async caller does not block a thread of the
    /// concurrency pool that the background render needs.
    public func settled(timeout: Double = 10, renders: Bool = true) async -> Bool {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: self.settle(timeout: timeout, renders: renders)) }
        }
    }

    private func run(_ effects: [Effect]) {
        for effect in effects {
            switch effect {
            case .copy, .editJSON, .quit: terminalEffects.append(effect)
            default: bridge.run(effect)
            }
        }
    }
}
