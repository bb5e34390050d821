//! Server-rendered SVG bar charts (no JavaScript), reusable by any page:
//! [`bar_chart`] lays out grouped bars for categories × series and
//! `templates/chart.html` draws them. The chart is an `img` with a title
//! and description; the page must also show the figures as a table (the
//! chart template does, under the figure).
//!
//! Accessibility (WCAG 2.2 AA): every series has its own fill pattern as
//! well as its own colour (1.4.1, use of colour), every colour has at least
//! 3:1 contrast against white (1.4.11, non-text contrast), the legend names
//! each series in text beside a swatch of its pattern, and each bar has a
//! `title` with its category, series and value.

/// How a series is filled: a pattern and a colour.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Style {
    /// `solid`, `hatch` (diagonal lines), `dots`, `stripes` (horizontal
    /// lines) or `cross` (cross-hatch).
    pub pattern: &'static str,
    /// The colour.
    pub colour: &'static str,
}

/// Series styles in order; the sixth series on reuses them.
/// Contrast against white: #1d70b8 5.2:1, #0b0c0c 19.6:1, #00703c 6.1:1,
/// #4c2c92 10.1:1, #d4351c 4.5:1.
pub const STYLES: [Style; 5] = [
    Style {
        pattern: "solid",
        colour: "#1d70b8",
    },
    Style {
        pattern: "hatch",
        colour: "#0b0c0c",
    },
    Style {
        pattern: "dots",
        colour: "#00703c",
    },
    Style {
        pattern: "stripes",
        colour: "#4c2c92",
    },
    Style {
        pattern: "cross",
        colour: "#d4351c",
    },
];

/// One bar.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    /// Left.
    pub x: f64,
    /// Top.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
    /// Series index (for the fill).
    pub series: usize,
    /// "Nov 2026, Missing: 3".
    pub title: String,
}

/// A horizontal grid line with its value.
#[derive(Clone, Debug, PartialEq)]
pub struct Grid {
    /// Height on the chart.
    pub y: f64,
    /// The value there.
    pub label: i64,
}

/// A category label under its group, split into lines.
#[derive(Clone, Debug, PartialEq)]
pub struct XLabel {
    /// Centre.
    pub x: f64,
    /// Lines of text.
    pub lines: Vec<String>,
}

/// A legend entry.
#[derive(Clone, Debug, PartialEq)]
pub struct Legend {
    /// Left of the swatch.
    pub x: f64,
    /// Top of the swatch.
    pub y: f64,
    /// Series index.
    pub series: usize,
    /// Series name.
    pub name: String,
}

/// A laid-out chart.
#[derive(Clone, Debug, PartialEq)]
pub struct BarChart {
    /// Prefix for element ids (unique on the page).
    pub id: String,
    /// Title (the SVG `title`).
    pub title: String,
    /// Description (the SVG `desc`).
    pub desc: String,
    /// View box width.
    pub width: f64,
    /// View box height.
    pub height: f64,
    /// Plot area left, right, top and bottom.
    pub left: f64,
    /// Right edge of the plot.
    pub right: f64,
    /// Top of the plot.
    pub top: f64,
    /// Baseline.
    pub bottom: f64,
    /// Bars.
    pub bars: Vec<Bar>,
    /// Grid lines.
    pub grid: Vec<Grid>,
    /// Category labels.
    pub xlabels: Vec<XLabel>,
    /// Legend (empty for a single series).
    pub legend: Vec<Legend>,
    /// Styles used, by series index.
    pub styles: Vec<Style>,
    /// Whether there is anything to draw.
    pub empty: bool,
}

impl BarChart {
    /// The fill of series `i`: a colour or a pattern reference.
    pub fn fill(&self, i: &usize) -> String {
        let s = &self.styles[*i];
        if s.pattern == "solid" {
            s.colour.to_string()
        } else {
            format!("url(#{}-p{})", self.id, i)
        }
    }
    /// The colour of series `i`.
    pub fn colour(&self, i: &usize) -> &'static str {
        self.styles[*i].colour
    }
}

/// The smallest "nice" axis maximum (1, 2 or 5 × 10^k, or 4 for small
/// counts) at or above `max`, and its step.
pub fn nice_scale(max: i64) -> (i64, i64) {
    if max <= 0 {
        return (4, 1);
    }
    if max <= 4 {
        return (4, 1);
    }
    let mut unit = 1i64;
    loop {
        for m in [1, 2, 5] {
            let step = m * unit;
            if step * 5 >= max {
                return (step * ((max + step - 1) / step), step);
            }
        }
        unit *= 10;
    }
}

/// Split a label into lines of at most `width` characters at spaces.
pub fn wrap(label: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in label.split_whitespace() {
        match lines.last_mut() {
            Some(l) if l.len() + 1 + word.len() <= width => {
                l.push(' ');
                l.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

/// Lay out a grouped bar chart: one group per category, one bar per series.
pub fn bar_chart(
    id: &str,
    title: &str,
    desc: &str,
    categories: &[String],
    series: &[(String, Vec<i64>)],
) -> BarChart {
    let width = 640.0;
    let legend_rows = if series.len() > 1 {
        series.len().div_ceil(2)
    } else {
        0
    };
    let (left, right, top) = (48.0, 628.0, 16.0);
    let label_lines = {
        let per = (right - left) / categories.len().max(1) as f64;
        let chars = ((per / 7.5).floor() as usize).max(4);
        categories
            .iter()
            .map(|c| wrap(c, chars).len())
            .max()
            .unwrap_or(1)
    };
    let bottom = 216.0;
    let height = bottom + 12.0 + label_lines as f64 * 16.0 + legend_rows as f64 * 24.0 + 8.0;
    let max = series
        .iter()
        .flat_map(|(_, v)| v.iter().copied())
        .max()
        .unwrap_or(0);
    let (top_value, step) = nice_scale(max);
    let scale = (bottom - top) / top_value as f64;
    let grid = (0..=top_value / step)
        .map(|i| Grid {
            y: bottom - (i * step) as f64 * scale,
            label: i * step,
        })
        .collect();
    let n = categories.len().max(1) as f64;
    let group = (right - left) / n;
    let pad = (group * 0.15).min(12.0);
    let bw = ((group - 2.0 * pad) / series.len().max(1) as f64).max(1.0);
    let chars = ((group / 7.5).floor() as usize).max(4);
    let mut bars = Vec::new();
    let mut xlabels = Vec::new();
    for (ci, cat) in categories.iter().enumerate() {
        let gx = left + ci as f64 * group;
        for (si, (name, values)) in series.iter().enumerate() {
            let v = values.get(ci).copied().unwrap_or(0);
            let h = v as f64 * scale;
            bars.push(Bar {
                x: gx + pad + si as f64 * bw,
                y: bottom - h,
                w: bw,
                h,
                series: si,
                title: format!("{cat}, {name}: {v}"),
            });
        }
        xlabels.push(XLabel {
            x: gx + group / 2.0,
            lines: wrap(cat, chars),
        });
    }
    let legend_top = bottom + 12.0 + label_lines as f64 * 16.0 + 8.0;
    let legend = if series.len() > 1 {
        series
            .iter()
            .enumerate()
            .map(|(i, (name, _))| Legend {
                x: left + (i % 2) as f64 * 290.0,
                y: legend_top + (i / 2) as f64 * 24.0,
                series: i,
                name: name.clone(),
            })
            .collect()
    } else {
        Vec::new()
    };
    BarChart {
        id: id.to_string(),
        title: title.to_string(),
        desc: desc.to_string(),
        width,
        height,
        left,
        right,
        top,
        bottom,
        bars,
        grid,
        xlabels,
        legend,
        styles: (0..series.len())
            .map(|i| STYLES[i % STYLES.len()].clone())
            .collect(),
        empty: max == 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_scales() {
        for max in [0, 3, 5, 7, 12, 23, 48, 99, 260, 1234] {
            let (top, step) = nice_scale(max);
            assert!(top >= max, "{max}");
            assert_eq!(top % step, 0, "{max}");
            assert!(top / step <= 6, "{max}: {top}/{step}");
        }
        assert_eq!(nice_scale(23), (25, 5));
        assert_eq!(nice_scale(3), (4, 1));
    }

    #[test]
    fn wraps_at_spaces() {
        assert_eq!(
            wrap("Criminal exploitation and county lines", 14),
            vec!["Criminal", "exploitation", "and county", "lines"]
        );
        assert_eq!(wrap("Nov 2026", 8), vec!["Nov 2026"]);
    }

    #[test]
    fn bars_scale_to_the_axis() {
        let c = bar_chart(
            "t",
            "T",
            "D",
            &["a".into(), "b".into()],
            &[("x".into(), vec![2, 4]), ("y".into(), vec![0, 1])],
        );
        assert_eq!(c.bars.len(), 4);
        // 4 is the axis top, so the bar for 4 fills the plot height.
        let b = &c.bars[2];
        assert!((b.h - (c.bottom - c.top)).abs() < 1e-9);
        assert!((c.bars[0].h - b.h / 2.0).abs() < 1e-9);
        assert_eq!(c.bars[3].title, "b, y: 1");
        assert_eq!(c.legend.len(), 2);
        assert_eq!(c.fill(&0), "#1d70b8");
        assert_eq!(c.fill(&1), "url(#t-p1)");
        assert!(!c.empty);
        let e = bar_chart("e", "E", "D", &["a".into()], &[("x".into(), vec![0])]);
        assert!(e.empty);
        assert!(e.legend.is_empty());
    }
}
