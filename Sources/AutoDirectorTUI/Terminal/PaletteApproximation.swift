/// Colours of the 256-colour palette on terminals with fewer (8 or 16): the approximation the
/// screen draws with when a theme colour does not exist there.
extension CursesScreen {
    /// The nearest colour a terminal with `colors` colours has to 256-palette entry `index`, or
    /// nil when it has fewer than the 8 basic ones.
    static func approximate(_ index: Int, colors: Int) -> Int? {
        if index < colors { return index }
        guard colors >= 8 else { return nil }
        let hasBright = colors >= 16
        var basic = 0
        var bright = false
        switch index {
        case 0..<16:
            basic = index % 8
            bright = index >= 8
        case 16..<232:
            // The 6×6×6 cube: keep the channels at least half as strong as the strongest.
            let cube = index - 16
            let (red, green, blue) = (cube / 36, cube / 6 % 6, cube % 6)
            let strongest = max(red, green, blue)
            let threshold = max(1, (strongest + 1) / 2)
            basic = (red >= threshold ? 1 : 0) | (green >= threshold ? 2 : 0) | (blue >= threshold ? 4 : 0)
            bright = strongest >= 4
        default:
            // The grey ramp 232…255: black, dark grey, light grey, white.
            let level = index - 232
            if level < 6 {
                basic = 0
            } else if level < 12 {
                // Dark grey where there is one; else light grey, which stays readable on black.
                basic = hasBright ? 0 : 7
                bright = hasBright
            } else {
                basic = 7
                bright = level >= 20
            }
        }
        let result = hasBright && bright ? basic + 8 : basic
        return result < colors ? result : nil
    }
}
