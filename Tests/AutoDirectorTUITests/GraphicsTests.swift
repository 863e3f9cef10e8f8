import Foundation
import Testing
@testable import AutoDirectorCore
@testable import AutoDirectorTUI

/// The image protocols' encoders, tmux wrapping, and detection from recorded terminal answers.
@Suite struct GraphicsTests {
    // MARK: Encoders

    @Test func kittyChunksAt4096Base64BytesWithTheKeysOnTheFirst() throws {
        let png = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        let chunks = GraphicsSequences.kitty(png: png, id: 42, columns: 30, rows: 15)
        let base64 = Data(png).base64EncodedString()
        #expect(chunks.count == (base64.utf8.count + 4095) / 4096)
        var payload = ""
        for (index, chunk) in chunks.enumerated() {
            let text = String(decoding: chunk, as: UTF8.self)
            #expect(text.hasPrefix("\u{1B}_G") && text.hasSuffix("\u{1B}\\"))
            let body = text.dropFirst(3).dropLast(2)
            let (keys, data) = (body.prefix { $0 != ";" }, body.drop { $0 != ";" }.dropFirst())
            #expect(data.utf8.count <= 4096)
            if index == 0 {
                #expect(keys == "a=T,f=100,t=d,q=2,C=1,i=42,c=30,r=15,m=1")
            } else {
                #expect(keys == (index == chunks.count - 1 ? "m=0" : "m=1"))
            }
            payload += data
        }
        #expect(payload == base64)
        #expect(Data(base64Encoded: payload).map([UInt8].init) == png)
        #expect(GraphicsSequences.kitty(png: [1, 2, 3], id: 1, columns: 1, rows: 1).count == 1)
    }

    @Test func iterm2CarriesTheFileAndItsCellSize() {
        let file: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 1, 2, 3]
        let text = String(decoding: GraphicsSequences.iterm2(file: file, columns: 40, rows: 20), as: UTF8.self)
        #expect(text == "\u{1B}]1337;File=inline=1;size=7;width=40;height=20;preserveAspectRatio=1:\(Data(file).base64EncodedString())\u{07}")
    }

    @Test func tmuxPassthroughDoublesEveryEscape() {
        let wrapped = GraphicsSequences.tmuxPassthrough(Array("\u{1B}_Ga=T;AAAA\u{1B}\\".utf8))
        #expect(String(decoding: wrapped, as: UTF8.self) == "\u{1B}Ptmux;\u{1B}\u{1B}_Ga=T;AAAA\u{1B}\u{1B}\\\u{1B}\\")
    }

    @Test func sixelOfFlatColoursDecodesBackToThem() throws {
        // Left half red, right half blue, 8×7: two bands, run-length encoded.
        var rgb: [UInt8] = []
        for _ in 0..<7 { for x in 0..<8 { rgb += x < 4 ? [255, 0, 0] : [0, 0, 255] } }
        let sixel = String(decoding: SixelEncoder.encode(rgb: rgb, width: 8, height: 7), as: UTF8.self)
        #expect(sixel.hasPrefix("\u{1B}P0;1q\"1;1;8;7") && sixel.hasSuffix("\u{1B}\\"))
        let decoded = Self.decodeSixel(sixel)
        #expect(decoded.width == 8 && decoded.height == 7)
        for y in 0..<7 {
            for x in 0..<8 { #expect(decoded.pixels[y * 8 + x] == (x < 4 ? [100, 0, 0] : [0, 0, 100]), "pixel \(x),\(y)") }
        }
        #expect(SixelEncoder.encode(rgb: rgb, width: 8, height: 7) == SixelEncoder.encode(rgb: rgb, width: 8, height: 7))
        #expect(sixel.contains("!4~"), "a run of four full columns is run-length encoded")
    }

    /// A minimal sixel reader: the palette's percentages per pixel.
    static func decodeSixel(_ text: String) -> (width: Int, height: Int, pixels: [[Int]]) {
        let bytes = Array(text.utf8)
        guard let start = text.range(of: "\"1;1;") else { return (0, 0, []) }
        let header = text[start.upperBound...].prefix { $0 != "#" }.split(separator: ";").compactMap { Int($0) }
        let (width, height) = (header[0], header[1])
        var pixels = [[Int]](repeating: [], count: width * height)
        var palette: [Int: [Int]] = [:]
        var colour: [Int] = []
        var (x, band) = (0, 0)
        var i = text.utf8.distance(from: text.utf8.startIndex, to: start.upperBound.samePosition(in: text.utf8)!)
        while i < bytes.count, bytes[i] != 0x1B {
            let c = bytes[i]
            func number() -> Int {
                var n = 0
                while i < bytes.count, (48...57).contains(bytes[i]) { n = n * 10 + Int(bytes[i] - 48); i += 1 }
                return n
            }
            switch c {
            case UInt8(ascii: "#"):
                i += 1
                var parts = [number()]
                while i < bytes.count, bytes[i] == UInt8(ascii: ";") { i += 1; parts.append(number()) }
                if parts.count == 5 { palette[parts[0]] = Array(parts[2...]) }
                colour = palette[parts[0]] ?? []
            case UInt8(ascii: "$"): x = 0; i += 1
            case UInt8(ascii: "-"): x = 0; band += 1; i += 1
            case UInt8(ascii: "!"):
                i += 1
                let count = number()
                let mask = Int(bytes[i]) - 63
                for _ in 0..<count { paint(mask) }
                i += 1
            case 63...126:
                paint(Int(c) - 63)
                i += 1
            default:
                i += 1
            }
            func paint(_ mask: Int) {
                for row in 0..<6 where mask & (1 << row) != 0 && band * 6 + row < height && x < width { pixels[(band * 6 + row) * width + x] = colour }
                x += 1
            }
        }
        return (width, height, pixels)
    }

    @Test func scalingAveragesWhenShrinking() {
        let rgb: [UInt8] = [0, 0, 0, 255, 255, 255, 0, 0, 0, 255, 255, 255]
        #expect(ImageScaler.scale(rgb, width: 2, height: 2, toWidth: 1, toHeight: 1) == [127, 127, 127])
        #expect(ImageScaler.scale([9, 8, 7], width: 1, height: 1, toWidth: 2, toHeight: 1) == [9, 8, 7, 9, 8, 7])
    }

    // MARK: Detection

    @Test func recordedAnswersOfRealTerminalsParse() {
        // kitty: graphics OK, then XTVERSION, the cell size and the device attributes.
        let kitty = TerminalAnswers.parse(Array("\u{1B}_Gi=31;OK\u{1B}\\\u{1B}P>|kitty(0.32.2)\u{1B}\\\u{1B}[6;20;10t\u{1B}[?62;c".utf8))
        #expect(kitty.kittyGraphics && kitty.version == "kitty(0.32.2)" && kitty.cellPixels == CellPixels(width: 10, height: 20))
        #expect(kitty.isComplete && !kitty.sixel)
        // foot: no kitty answer, sixel among the attributes.
        let foot = TerminalAnswers.parse(Array("\u{1B}P>|foot(1.16.2)\u{1B}\\\u{1B}[?62;4;22c".utf8))
        #expect(!foot.kittyGraphics && foot.sixel && foot.version == "foot(1.16.2)")
        // A silent-but-polite terminal: only DA1. A kitty error reply is not support.
        #expect(TerminalAnswers.parse(Array("\u{1B}[?1;2c".utf8)) == TerminalAnswers(deviceAttributes: [1, 2]))
        #expect(!TerminalAnswers.parse(Array("\u{1B}_Gi=31;ENOTSUPPORTED:x\u{1B}\\\u{1B}[?62c".utf8)).kittyGraphics)
        // Half an answer waits for the rest; hostile bytes in a name are dropped.
        #expect(!TerminalAnswers.parse(Array("\u{1B}_Gi=31;O".utf8)).kittyGraphics)
        #expect(TerminalAnswers.parse(Array("\u{1B}P>|evil\u{7}\u{1B}\\".utf8)).version == "evil")
        #expect(TerminalAnswers.parse(Array("\u{1B}P>|ev\u{8}il\u{1B}\\".utf8)).version == "evil")
    }

    static func decide(_ environment: [String: String], _ answers: TerminalAnswers? = nil, tmux: TerminalCapabilities.Passthrough? = nil, colors: Int = 256, utf8: Bool = true) -> TerminalCapabilities {
        TerminalCapabilities.decide(environment: environment, answers: answers, tmuxPassthrough: tmux, utf8: utf8, terminfoColors: colors)
    }

    @Test func answersComeBeforeTheEnvironmentAndTheOverrideBeforeBoth() {
        #expect(Self.decide(["TERM": "xterm-256color"], TerminalAnswers(kittyGraphics: true, deviceAttributes: [62])).mode == .kitty)
        #expect(Self.decide(["TERM": "xterm-256color"], TerminalAnswers(deviceAttributes: [62, 4])).mode == .sixel)
        #expect(Self.decide(["TERM": "xterm-256color"], TerminalAnswers(deviceAttributes: [62], version: "WezTerm 20240203")).mode == .iterm2)
        #expect(Self.decide(["TERM": "xterm-kitty"]).mode == .kitty)
        #expect(Self.decide(["TERM": "xterm-256color", "TERM_PROGRAM": "iTerm.app"]).mode == .iterm2)
        #expect(Self.decide(["TERM": "foot"]).mode == .sixel)
        let forced = Self.decide(["TERM": "xterm-kitty", "AUTODIRECTOR_IMAGES": "sixel"], TerminalAnswers(kittyGraphics: true, deviceAttributes: []))
        #expect(forced.mode == .sixel && forced.reason == "AUTODIRECTOR_IMAGES=sixel")
        let bad = Self.decide(["TERM": "xterm-256color", "AUTODIRECTOR_IMAGES": "jpeg"])
        #expect(bad.mode == .symbols && bad.advice.first?.contains("not a mode") == true)
    }

    @Test func withoutGraphicsSymbolsThenText() {
        let plain = Self.decide(["TERM": "xterm-256color"], TerminalAnswers(deviceAttributes: [1, 2]))
        #expect(plain.mode == .symbols && plain.colors == .palette)
        #expect(Self.decide(["TERM": "xterm-256color", "COLORTERM": "truecolor"]).colors == .truecolor)
        #expect(Self.decide(["TERM": "xterm-256color", "NO_COLOR": "1"], colors: 0).mode == .off)
        #expect(Self.decide(["TERM": "xterm-256color"], utf8: false).mode == .off)
        #expect(Self.decide(["TERM": "vt100"], colors: 0).mode == .off)
        #expect(plain.cellPixels == .assumed && plain.cellPixelsSource.hasPrefix("assumed"))
    }

    @Test func tmuxWithoutPassthroughFallsBackAndSaysHowToFixIt() {
        let off = Self.decide(["TERM": "tmux-256color", "TMUX": "/tmp/t,1,0"], TerminalAnswers(kittyGraphics: true, deviceAttributes: [62]), tmux: .off)
        #expect(off.mode == .symbols)
        #expect(off.advice.first?.contains("set -g allow-passthrough on") == true)
        let on = Self.decide(["TERM": "tmux-256color"], TerminalAnswers(kittyGraphics: true, deviceAttributes: [62]), tmux: .on)
        #expect(on.mode == .kitty && on.insideTmux)
        #expect(TerminalProbe.queries(insideTmux: true).starts(with: Array("\u{1B}Ptmux;\u{1B}\u{1B}_G".utf8)))
    }
}

/// The presenter writes an image once, after it is encoded, and removes it when it goes.
@Suite struct GraphicsPresenterTests {
    final class Recorder: @unchecked Sendable {
        var written: [[UInt8]] = []
        var repainted: [(Int, Int)] = []
        var requests: [GraphicsPlacement] = []
    }

    static func placement(_ mode: ImageMode, sha: String = "ab12cd34" + String(repeating: "0", count: 56)) -> GraphicsPlacement {
        GraphicsPlacement(x: 5, y: 3, columns: 20, rows: 10, mode: mode, path: "artifacts/ab/x.png", sha256: sha, mime: "image/png")
    }

    static func presenter(_ recorder: Recorder, _ cache: GraphicsCache, tmux: Bool = false) -> GraphicsPresenter {
        GraphicsPresenter(
            cache: cache, insideTmux: tmux,
            output: .init(write: { recorder.written.append($0) }, repaintRows: { recorder.repainted.append(($0, $1)) }),
            request: { recorder.requests.append(contentsOf: $0) })
    }

    @Test func encodedOnceShownOnceRemovedByItsKind() {
        let (recorder, cache) = (Recorder(), GraphicsCache())
        let presenter = Self.presenter(recorder, cache)
        let kitty = Self.placement(.kitty)
        presenter.present([kitty], repainted: false)
        presenter.present([kitty], repainted: false)
        #expect(recorder.requests == [kitty] && recorder.written.isEmpty, "asked once, nothing written before it is encoded")
        cache.store([Array("IMG".utf8)], for: kitty.key)
        presenter.present([kitty], repainted: false)
        #expect(recorder.written == [Array("\u{1B}[4;6HIMG".utf8)])
        presenter.present([kitty], repainted: false)
        #expect(recorder.written.count == 1, "an unchanged frame writes nothing")
        presenter.present([kitty], repainted: true)
        #expect(recorder.written.count == 3, "after a full repaint it is deleted and drawn again")
        presenter.present([], repainted: false)
        #expect(recorder.written.last == GraphicsSequences.kittyDelete(id: kitty.kittyID))

        let sixel = Self.placement(.sixel)
        cache.store([Array("SIX".utf8)], for: sixel.key)
        presenter.present([sixel], repainted: false)
        presenter.present([], repainted: false)
        #expect(recorder.repainted.count == 1 && recorder.repainted[0] == (3, 10), "sixel goes by repainting its rows")
    }

    @Test func insideTmuxTheDeleteIsWrappedToo() {
        let (recorder, cache) = (Recorder(), GraphicsCache())
        let presenter = Self.presenter(recorder, cache, tmux: true)
        let kitty = Self.placement(.kitty)
        cache.store([[1]], for: kitty.key)
        presenter.present([kitty], repainted: false)
        presenter.clear()
        #expect(recorder.written.last == GraphicsSequences.tmuxPassthrough(GraphicsSequences.kittyDelete(id: kitty.kittyID)))
    }

    @Test func theCacheKeepsTheNewestFew() {
        let cache = GraphicsCache(limit: 2)
        for key in ["a", "b", "c"] { cache.store([[1]], for: key) }
        #expect(cache.sequences(for: "a") == nil && cache.sequences(for: "c") != nil)
    }
}

/// Graphics modes through the real bridge: the artifact is encoded off the UI thread, then
/// written once; the session counts the bytes the terminal would get.
@Suite struct GraphicsSessionTests {
    /// The sample planned and rendered, shown at 160×48 in `mode`; remove `root` afterwards.
    static func renderedSession(_ mode: ImageMode) async throws -> (root: URL, engine: Engine, session: HeadlessSession) {
        let (root, engine, configuration) = try SessionTests.plannedProject()
        let session = HeadlessSession(engine: engine, width: 160, height: 48, configuration: configuration)
        session.showImages(mode)
        session.bridge.startRendering()
        #expect(await session.settled())
        return (root, engine, session)
    }

    @Test(arguments: [ImageMode.kitty, .iterm2, .sixel])
    func thePreviewIsEncodedOnceAndWritten(_ mode: ImageMode) async throws {
        let (root, _, session) = try await Self.renderedSession(mode)
        defer { try? FileManager.default.removeItem(at: root) }
        let frame = session.draw()
        let placement = try #require(frame.graphics.first, "the preview of a rendered shot is a picture")
        #expect(placement.mode == mode && placement.path.hasPrefix("artifacts/"))
        #expect(await session.settled(), "the encoding is answered")
        session.draw()
        let written = session.graphicsBytes
        #expect(written > 0, "\(session.state.message ?? "")")
        session.draw()
        #expect(session.graphicsBytes == written, "an unchanged frame writes nothing again")
    }

    /// An image that cannot be encoded (here its file went missing after the preview was
    /// loaded) is drawn as half blocks in the frame, with a message, never left blank.
    @Test(arguments: [ImageMode.kitty, .sixel])
    func anImageThatCannotBeEncodedIsDrawnInCellsInstead(_ mode: ImageMode) async throws {
        let (root, engine, session) = try await Self.renderedSession(mode)
        defer { try? FileManager.default.removeItem(at: root) }
        let shot = try #require(session.state.current?.shot.id)
        let artifact = try #require(try engine.artifact(for: engine.version(of: shot)))
        try FileManager.default.removeItem(at: engine.projectDirectory.appendingPathComponent(artifact.path))

        #expect(session.draw().graphics.count == 1, "first the picture is asked for")
        #expect(await session.settled(), "the encoding is answered")
        let frame = session.draw()
        #expect(frame.graphics.isEmpty, "a failed encoding is not asked for again")
        #expect(frame.text.contains("▀"), "the preview is drawn in half blocks")
        #expect(session.graphicsBytes == 0)
        #expect(session.state.message?.hasPrefix("Cannot show the image as \(mode.rawValue)") == true, "\(session.state.message ?? "")")
    }
}

@Suite struct TruecolorSymbolsTests {
    @Test func halfBlocksCarryEachPixelsColourAndSendAColourOnlyWhenItChanges() {
        // 2×1 cells from 2×2 pixels: the first column red over blue, the second the same.
        let rgb: [UInt8] = [255, 0, 0, 255, 0, 0, 0, 0, 255, 0, 0, 255]
        let text = String(decoding: GraphicsSequences.truecolorHalfBlocks(rgb: rgb, columns: 2, rows: 1, x: 3, y: 4), as: UTF8.self)
        #expect(text == "\u{1B}[5;4H\u{1B}[38;2;255;0;0m\u{1B}[48;2;0;0;255m▀▀\u{1B}[0m")
    }

    @Test func withTruecolorThePreviewIsWrittenBesideCursesAndCursesDrawsNothingThere() {
        var state = Fixtures.state()
        state.truecolor = true
        var detail = Fixtures.detail(preview: Fixtures.gradient())
        detail.artifact = Artifact(
            hash: "h", path: "artifacts/ab/x.png", imageSHA256: String(repeating: "a", count: 64), mime: "image/png", width: 8, height: 8,
            byteCount: 1, provider: "mock", createdAt: Date(timeIntervalSince1970: 0))
        _ = Update.update(&state, .detailLoaded(detail))
        let frame = Screen.render(state)
        #expect(frame.graphics.count == 1 && frame.graphics[0].mode == .symbols)
        #expect(!frame.cells.contains { $0.text == "▀" })
        #expect(frame.text.contains("24-bit"))
        state.truecolor = false
        #expect(Screen.render(state).graphics.isEmpty, "256 colours: curses draws the half blocks itself")
    }
}

extension GraphicsTests {
    @Test func aHostileCellSizeIsIgnoredAndSixelStaysBounded() throws {
        #expect(TerminalAnswers.parse(Array("\u{1B}[6;100000;100000t\u{1B}[?62c".utf8)).cellPixels == nil)
        #expect(TerminalAnswers.parse(Array("\u{1B}[6;500;300t\u{1B}[?62c".utf8)).cellPixels == nil)
        let capabilities = TerminalCapabilities.decide(
            environment: ["TERM": "foot"], answers: nil, tmuxPassthrough: nil, utf8: true, terminfoColors: 256,
            ioctlCellPixels: CellPixels(width: 4000, height: 9000))
        #expect(capabilities.cellPixels == .assumed)
        // Even a huge panel of large cells encodes at most about 4 megapixels.
        let rgb = (0..<(64 * 64 * 3)).map { UInt8(truncatingIfNeeded: $0 * 7) }
        let png = try PNGCodec.encode(PNGCodec.Image(width: 64, height: 64, rgb: rgb))
        let placement = GraphicsPlacement(x: 0, y: 0, columns: 400, rows: 200, mode: .sixel, path: "", sha256: "x", mime: "image/png")
        let sixel = String(decoding: try GraphicsEncoding.sequences(for: placement, file: png, cell: CellPixels(width: 64, height: 128), insideTmux: false)[0], as: UTF8.self)
        let header = sixel.dropFirst(sixel.range(of: "\"1;1;")!.upperBound.utf16Offset(in: sixel)).prefix { $0 != "#" }.split(separator: ";").compactMap { Int($0) }
        #expect(header.count == 2 && header[0] * header[1] <= 4_000_000)
    }
}

/// tmux drops a sequence over 1 MiB: inside it, large pictures are made smaller to fit.
@Suite struct TmuxSequenceLimitTests {
    /// A noisy image, which compresses badly: 640² of it is a PNG of about 1.2 MB.
    static let noisyPNG: [UInt8] = {
        var state: UInt32 = 12345
        let rgb = (0..<(640 * 640 * 3)).map { _ -> UInt8 in
            state = state &* 1_664_525 &+ 1_013_904_223
            return UInt8(truncatingIfNeeded: state >> 24)
        }
        return (try? PNGCodec.encode(PNGCodec.Image(width: 640, height: 640, rgb: rgb))) ?? []
    }()

    static func placement(_ mode: ImageMode) -> GraphicsPlacement {
        GraphicsPlacement(x: 2, y: 1, columns: 60, rows: 20, mode: mode, path: "artifacts/x.png", sha256: "noisy", mime: "image/png")
    }

    @Test(arguments: [ImageMode.iterm2, .sixel])
    func insideTmuxEverySequenceFitsTmuxsLimit(_ mode: ImageMode) throws {
        #expect(Self.noisyPNG.count > 1_000_000)
        let cell = CellPixels(width: 10, height: 20)
        let outside = try GraphicsEncoding.sequences(for: Self.placement(mode), file: Self.noisyPNG, cell: cell, insideTmux: false)
        #expect(outside.count == 1 && outside[0].count > 1_048_576, "outside tmux the full picture goes")
        let inside = try GraphicsEncoding.sequences(for: Self.placement(mode), file: Self.noisyPNG, cell: cell, insideTmux: true)
        #expect(inside.count == 1)
        #expect(inside[0].count <= 1_048_576, "\(inside[0].count) bytes would be dropped by tmux")
        #expect(inside[0].starts(with: Array("\u{1B}Ptmux;".utf8)))
        if mode == .iterm2 {
            // Still a whole picture: the PNG inside decodes.
            let text = String(decoding: inside[0], as: UTF8.self)
            let payload = try #require(text.split(separator: ":").last.map { $0.dropLast(3) })
            let png = try #require(Data(base64Encoded: String(payload)))
            let image = try PNGCodec.decode([UInt8](png))
            #expect(image.width >= 16 && image.width < 640)
        }
    }
}
