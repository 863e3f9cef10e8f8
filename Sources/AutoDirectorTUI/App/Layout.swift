/// Where each panel goes for a terminal size: side by side from 120 columns, stacked below.
/// `update` uses it to know how many rows the table shows; the views use it to draw.
public struct Layout: Sendable, Equatable {
    public struct Rect: Sendable, Equatable {
        public var x, y, width, height: Int
    }

    public static let minimumWidth = 80
    public static let minimumHeight = 24

    public let width: Int
    public let height: Int
    public let table: Rect
    public let detail: Rect
    public let jobLine: Int
    public let statusLine: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
        let body = max(0, height - 3)
        if width >= 120 {
            let tableWidth = width * 11 / 20
            table = Rect(x: 0, y: 1, width: tableWidth, height: body)
            detail = Rect(x: tableWidth + 1, y: 1, width: width - tableWidth - 1, height: body)
        } else {
            let tableHeight = body / 2
            table = Rect(x: 0, y: 1, width: width, height: tableHeight)
            detail = Rect(x: 0, y: 1 + tableHeight, width: width, height: body - tableHeight)
        }
        jobLine = height - 2
        statusLine = height - 1
    }

    /// Data rows the table shows (its first line is the header).
    public var tableRows: Int { max(1, table.height - 1) }
    /// Content lines of the detail panel (its first line holds the tabs).
    public var detailRows: Int { max(1, detail.height - 1) }
    public var isTooSmall: Bool { width < Self.minimumWidth || height < Self.minimumHeight }
}
