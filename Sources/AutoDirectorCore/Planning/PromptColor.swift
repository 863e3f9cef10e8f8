import Foundation

extension StructuredPromptCompiler {
    /// An `#rrggbb` color with its HSL description.
    struct Color {
        /// Upper-case `#RRGGBB`.
        let hex: String
        /// max - min of the channels, 0…1.
        let chroma: Double
        /// HSL lightness, 0…1.
        let lightness: Double
        /// HSL saturation, 0…1.
        let saturation: Double
        /// Hue in degrees, 0..<360 (0 for grays).
        let hue: Double

        init?(hex text: String) {
            guard let color = HexColor(text) else { return nil }
            hex = color.hex
            let (r, g, b) = (Double(color.red) / 255, Double(color.green) / 255, Double(color.blue) / 255)
            let maximum = max(r, g, b)
            let minimum = min(r, g, b)
            chroma = maximum - minimum
            lightness = (maximum + minimum) / 2
            saturation = chroma == 0 ? 0 : chroma / (1 - abs(2 * lightness - 1))
            if chroma == 0 {
                hue = 0
            } else {
                var h: Double
                if maximum == r {
                    h = ((g - b) / chroma).truncatingRemainder(dividingBy: 6)
                } else if maximum == g {
                    h = (b - r) / chroma + 2
                } else {
                    h = (r - g) / chroma + 4
                }
                h *= 60
                if h < 0 { h += 360 }
                hue = h
            }
        }

        /// A plain-language approximation: "very light cool gray", "vivid red", "muted dark blue".
        var name: String {
            let lightnessWord: String
            if lightness >= 0.85 {
                lightnessWord = "very light"
            } else if lightness >= 0.65 {
                lightnessWord = "light"
            } else if lightness >= 0.35 {
                lightnessWord = ""
            } else if lightness >= 0.18 {
                lightnessWord = "dark"
            } else {
                lightnessWord = "very dark"
            }

            if chroma < 0.08 {
                if lightness >= 0.98 && chroma < 0.02 { return "white" }
                if lightness < 0.08 { return "black" }
                var gray = "gray"
                if chroma >= 0.02 {
                    if hue >= 150 && hue < 300 {
                        gray = "cool gray"
                    } else if hue < 70 || hue >= 330 {
                        gray = "warm gray"
                    }
                }
                return Color.words([lightnessWord, gray])
            }

            var base: String
            switch hue {
            case ..<15: base = "red"
            case ..<40: base = "orange"
            case ..<65: base = "yellow"
            case ..<90: base = "yellow-green"
            case ..<160: base = "green"
            case ..<195: base = "teal"
            case ..<255: base = "blue"
            case ..<290: base = "purple"
            case ..<335: base = "pink"
            default: base = "red"
            }
            if base == "orange" && lightness < 0.45 { base = "brown" }
            if base == "yellow" && lightness < 0.35 { base = "olive" }
            if base == "red" && lightness >= 0.75 { base = "pink" }

            var saturationWord = ""
            if saturation >= 0.85 && lightness >= 0.3 && lightness <= 0.7 {
                saturationWord = "vivid"
            } else if saturation < 0.3 {
                saturationWord = "muted"
            }
            return Color.words([saturationWord, lightnessWord, base])
        }

        private static func words(_ parts: [String]) -> String {
            parts.filter { !$0.isEmpty }.joined(separator: " ")
        }
    }
}
