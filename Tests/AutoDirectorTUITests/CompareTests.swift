import Foundation
import Testing
@testable import AutoDirectorCore
@testable import AutoDirectorTUI

/// The compare view (`C`): its keys, its frames in symbols mode, and its pictures in a graphics mode.
@Suite struct CompareTests {
    static func data(difference: Bool = true) -> CompareData {
        var left = Fixtures.version()
        left.number = 1
        var right = Fixtures.version()
        right.number = 2
        right.hash = String(repeating: "b", count: 64)
        right.review = .approved
        let artifact = Artifact(
            hash: right.hash, path: "artifacts/bb/\(String(repeating: "b", count: 64)).png", imageSHA256: String(repeating: "b", count: 64),
            mime: "image/png", width: 256, height: 256, byteCount: 10, provider: "mock", createdAt: Date(timeIntervalSince1970: 0))
        return CompareData(
            shotID: "PROD-001", numbers: [1, 2], left: CompareSide(version: left, preview: Fixtures.gradient(), artifact: artifact),
            right: CompareSide(version: right, preview: Fixtures.gradient(), artifact: artifact), changes: ["~ camera.fov 45 → 60"],
            difference: difference ? Fixtures.gradient() : nil, differencePNG: difference ? [1, 2, 3] : nil, changedShare: difference ? 0.134 : nil)
    }

    static func opened(width: Int = 160, height: Int = 48) -> AppState {
        var state = Fixtures.state(width: width, height: height)
        state.page?.rows[0].shot.latestVersion = 2
        let effects = Update.update(&state, .key(.character("C")))
        #expect(effects == [.loadCompare(shotID: "PROD-001", left: nil, right: nil)])
        _ = Update.update(&state, .compareLoaded(data()))
        return state
    }

    @Test func cOpensFlipsMarksAndEscapeReturns() throws {
        var state = Self.opened()
        #expect(state.compare?.left == 1 && state.compare?.right == 2)
        _ = Update.update(&state, .key(.character("f")))
        #expect(state.compare?.flipped == true)
        _ = Update.update(&state, .key(.character("D")))
        #expect(state.compare?.showDifference == true)
        let text = Screen.render(state).text
        #expect(text.contains("v2 vs v1 differs in 13.4% of pixels"))
        #expect(text.contains("v2's image (f) · v1 ·"), "the left side, flipped, shows v2's image under v1's heading")
        // `[` has no older version to go to; a key of the table does nothing here.
        _ = Update.update(&state, .key(.character("[")))
        #expect(state.message == "v1 is the oldest version.")
        #expect(Update.update(&state, .key(.character("a"))).isEmpty, "approving needs the table")
        _ = Update.update(&state, .key(.escape))
        #expect(state.compare == nil)
    }

    @Test func aShotWithOneVersionHasNothingToCompare() {
        var state = Fixtures.state()
        #expect(Update.update(&state, .key(.character("C"))).isEmpty)
        #expect(state.compare == nil && state.message?.contains("one version") == true)
    }

    @Test func bracketsPickTheOtherVersion() {
        var state = Self.opened()
        var data = Self.data()
        data.numbers = [1, 2, 3]
        data.right.version.number = 3
        _ = Update.update(&state, .compareLoaded(data))
        let effects = Update.update(&state, .key(.character("]")))
        #expect(effects == [.loadCompare(shotID: "PROD-001", left: 2, right: 3)])
        #expect(Update.update(&state, .key(.character("["))) == [.loadCompare(shotID: "PROD-001", left: 1, right: 3)])
    }

    @Test func snapshotsInSymbols() throws {
        for (w, h) in SnapshotTests.sizes {
            var state = Self.opened(width: w, height: h)
            let frame = Screen.render(state)
            #expect(frame.cells.contains { $0.text == "▀" } && frame.graphics.isEmpty)
            try SnapshotTests.check("compare-\(w)x\(h)", frame)
            _ = Update.update(&state, .key(.character("D")))
            try SnapshotTests.check("compare-difference-\(w)x\(h)", Screen.render(state))
        }
    }

    @Test func graphicsModesPlaceBothImagesAndTheDifference() {
        var state = Self.opened()
        state.imageMode = .kitty
        let frame = Screen.render(state)
        #expect(frame.graphics.count == 2)
        #expect(frame.graphics[0].x < frame.graphics[1].x && frame.graphics[0].y == frame.graphics[1].y)
        #expect(!frame.cells.contains { $0.text == "▀" }, "curses draws nothing under the pictures")
        #expect(Set(frame.graphics.map(\.kittyID)).count == 2, "the same image in two places has two kitty ids")
        #expect(Set(frame.graphics.map(\.key)).count == 2, "and two encodings: a kitty sequence carries its id")
        _ = Update.update(&state, .key(.character("f")))
        let flipped = Screen.render(state).graphics
        #expect(Set(flipped.map(\.key)).isDisjoint(with: frame.graphics.map(\.key)) || flipped.map(\.x) == frame.graphics.map(\.x))
        _ = Update.update(&state, .key(.character("D")))
        let difference = Screen.render(state).graphics
        #expect(difference.count == 2 && difference[1].png == [1, 2, 3])
    }
}

extension CompareTests {
    @Test func theHelpOverlayHidesThePictures() {
        var state = Self.opened()
        state.imageMode = .sixel
        #expect(Screen.render(state).graphics.count == 2)
        _ = Update.update(&state, .key(.character("?")))
        #expect(Screen.render(state).graphics.isEmpty, "a picture would cover the overlay's text")
    }
}

extension CompareTests {
    @Test func anUnrelatedFailureLeavesALoadingCompareOpenItsOwnClosesIt() {
        var state = Fixtures.state()
        state.page?.rows[0].shot.latestVersion = 2
        _ = Update.update(&state, .key(.character("C")))
        _ = Update.update(&state, .failed("Cannot show the image: gone"))
        #expect(state.compare != nil, "another load's failure is not the compare view's")
        _ = Update.update(&state, .compareFailed(shotID: "PROD-001", "PROD-001 has one version."))
        #expect(state.compare == nil && state.message == "PROD-001 has one version.")
    }
}
