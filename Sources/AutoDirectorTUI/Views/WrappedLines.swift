import Synchronization

/// A text's lines wrapped for the detail panel (`DetailView.wrap`), built only as far as a
/// frame needs: a frame at the top of a 10,000-line spec wraps the rows it shows, not the
/// whole spec. What was wrapped is kept, so the next frame at the same width wraps nothing.
struct WrappedLines {
    typealias Row = (text: String, line: String)

    let lines: [String]
    let width: Int
    let ascii: Bool
    private(set) var rows: [Row] = []
    /// The next line of `lines` to wrap.
    private(set) var nextLine = 0

    init(_ lines: [String], width: Int, ascii: Bool) {
        (self.lines, self.width, self.ascii) = (lines, width, ascii)
    }

    var isComplete: Bool { nextLine == lines.count }

    /// Wraps further lines until at least `count` rows exist or every line is wrapped; returns
    /// how many lines it wrapped.
    @discardableResult
    mutating func extend(to count: Int) -> Int {
        let first = nextLine
        while rows.count < count, nextLine < lines.count {
            rows += DetailView.wrap(lines[nextLine], width: width, ascii: ascii)
            nextLine += 1
        }
        return nextLine - first
    }
}

/// The wrapped tabs of one shot's detail, per tab, width and ASCII mode, for as long as the
/// detail is shown. It travels inside `ShotDetail`, so a new detail (another shot, a new
/// version) starts afresh and a copy of the same detail shares what was wrapped. A resize
/// wraps again at the new width; only the few widths seen last are kept.
final class DetailWrapCache: Sendable, Equatable {
    private struct Key: Hashable {
        var tab: DetailTab
        var width: Int
        var ascii: Bool
    }

    private struct Entries {
        var byKey: [Key: WrappedLines] = [:]
        /// Keys, least recently used first.
        var order: [Key] = []
        var linesWrapped = 0
    }

    /// Tabs and widths kept: a window resized by dragging passes through many widths.
    static let keptEntries = 8

    private let entries = Mutex(Entries())

    /// A cache is no part of what a detail is: two details with the same text are equal
    /// whatever either has wrapped so far.
    static func == (lhs: DetailWrapCache, rhs: DetailWrapCache) -> Bool { true }

    /// Lines wrapped so far, over every tab and width: what drawing and scrolling cost.
    var linesWrapped: Int { entries.withLock { $0.linesWrapped } }

    /// The rows `range` of `lines` (the text of `tab`) wrapped to `width`, as far as they exist.
    func rows(_ range: Range<Int>, of lines: [String], tab: DetailTab, width: Int, ascii: Bool) -> ArraySlice<WrappedLines.Row> {
        withWrapped(lines, tab: tab, width: width, ascii: ascii) { wrapped in
            let wrappedNow = wrapped.extend(to: range.upperBound)
            let rows = wrapped.rows
            return (rows[min(range.lowerBound, rows.count)..<min(range.upperBound, rows.count)], wrappedNow)
        }
    }

    /// How many rows `lines` wraps to, counted only up to `limit`: min(rows, limit).
    func rowCount(of lines: [String], tab: DetailTab, width: Int, ascii: Bool, upTo limit: Int) -> Int {
        withWrapped(lines, tab: tab, width: width, ascii: ascii) { wrapped in
            let wrappedNow = wrapped.extend(to: limit)
            return (min(wrapped.rows.count, limit), wrappedNow)
        }
    }

    private func withWrapped<R>(
        _ lines: [String], tab: DetailTab, width: Int, ascii: Bool, _ body: (inout WrappedLines) -> (R, Int)
    ) -> R {
        let key = Key(tab: tab, width: width, ascii: ascii)
        return entries.withLock { entries in
            // The same array (the detail's own) compares equal at once; other lines start over.
            var wrapped = entries.byKey.removeValue(forKey: key).flatMap { $0.lines == lines ? $0 : nil }
                ?? WrappedLines(lines, width: width, ascii: ascii)
            let (result, wrappedNow) = body(&wrapped)
            entries.linesWrapped += wrappedNow
            entries.byKey[key] = wrapped
            entries.order.removeAll { $0 == key }
            entries.order.append(key)
            while entries.order.count > Self.keptEntries {
                entries.byKey[entries.order.removeFirst()] = nil
            }
            return result
        }
    }
}
