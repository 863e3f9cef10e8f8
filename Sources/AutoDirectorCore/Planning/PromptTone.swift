import Foundation

extension StructuredPromptCompiler {
    /// Overall temperature of a set of colors: the chroma-weighted mean hue, neutral when the mean chroma is low.
    enum Tone {
        case cool, warm, neutral

        init(_ colors: [Color]) {
            var sumX = 0.0
            var sumY = 0.0
            for color in colors {
                let radians = color.hue * Double.pi / 180
                sumX += color.chroma * cos(radians)
                sumY += color.chroma * sin(radians)
            }
            let count = Double(max(colors.count, 1))
            let meanChroma = (sumX * sumX + sumY * sumY).squareRoot() / count
            if meanChroma < 0.04 {
                self = .neutral
                return
            }
            var hue = atan2(sumY, sumX) * 180 / Double.pi
            if hue < 0 { hue += 360 }
            self = hue < 75 || hue >= 300 ? .warm : .cool
        }

        var capitalized: String {
            switch self {
            case .cool: return "Cool"
            case .warm: return "Warm"
            case .neutral: return "Neutral"
            }
        }

        var feel: String {
            switch self {
            case .cool: return "a crisp, cool feel"
            case .warm: return "a warm, inviting feel"
            case .neutral: return "a neutral, timeless feel"
            }
        }
    }
}
