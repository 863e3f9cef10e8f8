import Foundation
import Testing
@testable import AutoDirectorCore
@testable import AutoDirectorTUI

/// Issue 19 (12): with a 10,000-line spec every frame of the JSON tab, and every scroll key,
/// wrapped all 10,000 lines (38–110 ms a key, 215 ms a move onto the shot). A frame must wrap
/// only the rows it shows, and keep them for the next frame at the same width.
@Suite struct HugeSpecTests {
    static let lineCount = 10_000

    /// PROD-001's detail with a JSON tab of `lineCount` lines (plus the braces).
    static func hugeDetail() -> ShotDetail {
        let base = Fixtures.detail()
        let members = (0..<lineCount).map { "  \"key_\($0)\": \"value number \($0), a few words long\"," }
        let lines = ["{"] + members + ["}"]
        return ShotDetail(version: base.version, versionCount: 1, lines: [.json: lines], preview: nil, specJSON: lines.joined(separator: "\n"))
    }

    /// The fixture state with the huge detail loaded and the JSON tab focused.
    static func state(width: Int = 80, height: Int = 24) -> (AppState, ShotDetail) {
        var state = Fixtures.state(width: width, height: height)
        let detail = hugeDetail()
        _ = Update.update(&state, .detailLoaded(detail))
        _ = Update.update(&state, .key(.enter))
        #expect(state.focus == .detail && state.tab == .json)
        return (state, detail)
    }

    @Test func aFrameWrapsOnlyTheRowsInViewAndTheNextFrameNone() {
        let (state, detail) = Self.state()
        let rows = Layout(width: 80, height: 24).detailRows
        let frame = Screen.render(state)
        #expect(frame.lines.contains { $0.contains("\"key_0\": \"value number 0") })
        // Each of these lines fits the panel (one row each), so rows in view = lines wrapped.
        #expect(detail.wrapCache.linesWrapped <= rows + 1, "wrapped \(detail.wrapCache.linesWrapped) lines for \(rows) rows")
        let wrapped = detail.wrapCache.linesWrapped
        _ = Screen.render(state)
        _ = Screen.render(state)
        #expect(detail.wrapCache.linesWrapped == wrapped, "the second frame wrapped again")
    }

    @Test func scrollingWrapsAsFarAsItGoesAndTheEndOnce() {
        let (loaded, detail) = Self.state()
        var state = loaded
        let rows = Layout(width: 80, height: 24).detailRows
        for _ in 0..<3 {
            _ = Update.update(&state, .key(.pageDown))
            _ = Screen.render(state)
        }
        #expect(state.detailScroll == 3 * rows)
        #expect(detail.wrapCache.linesWrapped <= 4 * rows + 1, "wrapped \(detail.wrapCache.linesWrapped) lines for four pages")
        // The end needs every row counted once; afterwards moving about wraps nothing.
        _ = Update.update(&state, .key(.character("G")))
        var frame = Screen.render(state)
        #expect(detail.wrapCache.linesWrapped == Self.lineCount + 2)
        #expect(frame.lines.contains { $0.contains("\"key_\(Self.lineCount - 1)\"") })
        _ = Update.update(&state, .key(.character("g")))
        _ = Screen.render(state)
        _ = Update.update(&state, .key(.character("G")))
        frame = Screen.render(state)
        #expect(detail.wrapCache.linesWrapped == Self.lineCount + 2)
        #expect(state.detailScroll == Self.lineCount + 2 - rows)
        #expect(frame.lines.contains { $0.contains("}") })
    }

    @Test func anotherWidthWrapsAgainButOnlyWhatIsInView() {
        let (loaded, detail) = Self.state(width: 160, height: 48)
        var state = loaded
        _ = Screen.render(state)
        let before = detail.wrapCache.linesWrapped
        _ = Update.update(&state, .resize(width: 80, height: 24))
        let frame = Screen.render(state)
        let rows = Layout(width: 80, height: 24).detailRows
        #expect(detail.wrapCache.linesWrapped - before <= rows + 1)
        #expect(frame.lines.contains { $0.contains("\"key_0\"") })
    }

    @Test func wrappingInPiecesGivesTheRowsWrappingAtOnceDoes() {
        let lines = (0..<300).map { index in
            index % 7 == 0 ? String(repeating: "word\(index) ", count: 40) : "  \"short_\(index)\": \(index),"
        }
        let whole = DetailView.wrapped(lines, width: 40, ascii: false).map(\.text)
        let cache = DetailWrapCache()
        var pieces: [String] = []
        var start = 0
        while true {
            let rows = cache.rows(start..<(start + 17), of: lines, tab: .json, width: 40, ascii: false)
            if rows.isEmpty { break }
            pieces += rows.map(\.text)
            start += 17
        }
        #expect(pieces == whole)
        #expect(cache.rowCount(of: lines, tab: .json, width: 40, ascii: false, upTo: .max) == whole.count)
    }
}
