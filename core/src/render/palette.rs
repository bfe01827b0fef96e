//! Colours: the Okabe–Ito palette, distinguishable with every common colour-vision deficiency,
//! plus greys for structure. Meaning is never carried by colour alone: marks and words repeat it.
//!
//! ```
//! use journeystream::render::palette;
//! assert_eq!(palette::CATEGORICAL.len(), 7);
//! assert_eq!(palette::BLUE, "#0072B2");
//! ```

/// Okabe–Ito orange.
pub const ORANGE: &str = "#E69F00";
/// Okabe–Ito sky blue.
pub const SKY_BLUE: &str = "#56B4E9";
/// Okabe–Ito bluish green.
pub const GREEN: &str = "#009E73";
/// Okabe–Ito yellow.
pub const YELLOW: &str = "#F0E442";
/// Okabe–Ito blue.
pub const BLUE: &str = "#0072B2";
/// Okabe–Ito vermillion.
pub const VERMILLION: &str = "#D55E00";
/// Okabe–Ito reddish purple.
pub const PURPLE: &str = "#CC79A7";

/// The seven Okabe–Ito colours for categories, in order.
pub const CATEGORICAL: [&str; 7] = [BLUE, ORANGE, GREEN, VERMILLION, SKY_BLUE, PURPLE, YELLOW];

/// Text and strong lines.
pub const INK: &str = "#1A1A1A";
/// Secondary text.
pub const MUTED: &str = "#555555";
/// Grid lines and borders.
pub const RULE: &str = "#BBBBBB";
/// Lane backgrounds.
pub const WASH: &str = "#F3F3F3";
/// The page.
pub const PAPER: &str = "#FFFFFF";

/// Light tints of the palette for card fills (text on them keeps a contrast above 10:1).
pub const TINT_BLUE: &str = "#D9EAF5";
pub const TINT_ORANGE: &str = "#FBEBCB";
pub const TINT_GREEN: &str = "#CCEDE3";
pub const TINT_VERMILLION: &str = "#F6DCCB";
pub const TINT_PURPLE: &str = "#F4E1EC";
pub const TINT_SKY: &str = "#DDF0FB";
pub const TINT_YELLOW: &str = "#FBF8CF";

/// A sequential colour for a share 0–1: white to Okabe–Ito blue (for heat maps).
pub fn sequential(share: f64) -> String {
    let t = if share.is_finite() {
        share.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (r, g, b) = (
        255.0 + (0.0 - 255.0) * t,
        255.0 + (114.0 - 255.0) * t,
        255.0 + (178.0 - 255.0) * t,
    );
    format!(
        "#{:02X}{:02X}{:02X}",
        r.round() as u8,
        g.round() as u8,
        b.round() as u8
    )
}

/// The text colour readable on [`sequential`]`(share)`.
pub fn on_sequential(share: f64) -> &'static str {
    if share > 0.55 {
        PAPER
    } else {
        INK
    }
}
