//! Bar charts drawn as vectors (filled rectangles and rules, no image): horizontal bars, one
//! group per row label and one bar per series, on a scale with round ticks, each bar with its
//! value. Used by the monthly report.

use super::fonts::Face;
use super::layout::{Align, Flow, Item, baseline, mm, text_width};

/// One series of a chart: its name in the legend, its shade of grey (0 black … 1 white) and a
/// value per row.
pub(crate) struct Series<'a> {
    pub name: &'a str,
    pub grey: f32,
    pub values: Vec<f64>,
}

/// Horizontal bars: a group per label, a bar per series.
pub(crate) struct Bars<'a> {
    pub title: &'a str,
    pub labels: Vec<String>,
    pub series: Vec<Series<'a>>,
}

const LABEL_SIZE: f32 = 7.5;
const VALUE_SIZE: f32 = 6.5;
const TITLE_SIZE: f32 = 9.5;
const GRID_GREY: f32 = 0.78;

/// A round step for a scale from 0 to `max` with about `ticks` divisions: 1, 2 or 5 times a
/// power of ten.
pub(crate) fn nice_step(max: f64, ticks: u32) -> f64 {
    if max.is_nan() || max <= 0.0 || max.is_infinite() {
        return 1.0;
    }
    let raw = max / f64::from(ticks.max(1));
    let magnitude = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude)
        .max(1.0)
}

fn number(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// The height the chart takes on the page.
pub(crate) fn height(chart: &Bars) -> f32 {
    let (bar, gap) = bar_sizes(chart.series.len());
    let groups = chart.labels.len().max(1) as f32;
    head_height() + groups * (bar * chart.series.len().max(1) as f32 + gap) + axis_height()
}

fn head_height() -> f32 {
    TITLE_SIZE * 1.6 + LABEL_SIZE * 1.8
}

fn axis_height() -> f32 {
    VALUE_SIZE * 2.2
}

/// Bar thickness and the gap between groups, in points.
fn bar_sizes(series: usize) -> (f32, f32) {
    if series <= 1 {
        (mm(2.4), mm(1.2))
    } else {
        (mm(1.6), mm(1.1))
    }
}

/// Draws the chart at the cursor, kept whole on one page.
pub(crate) fn bars(flow: &mut Flow, chart: &Bars) {
    flow.keep(height(chart));
    flow.line(
        Face::Label,
        TITLE_SIZE,
        TITLE_SIZE * 1.6,
        Align::Center,
        chart.title,
    );
    legend(flow, chart);

    let sheet = flow.sheet;
    let max = chart
        .series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .fold(0.0_f64, f64::max);
    let step = nice_step(max, 5);
    let top_value = (max / step).ceil().max(1.0) * step;
    let label_w = chart
        .labels
        .iter()
        .map(|l| text_width(Face::Body, LABEL_SIZE, l))
        .fold(0.0_f32, f32::max)
        + mm(2.0);
    let value_w = text_width(Face::Body, VALUE_SIZE, &number(top_value)) + mm(2.0);
    let x0 = sheet.left + label_w;
    let plot_w = (sheet.block_width - label_w - value_w).max(mm(20.0));
    let scale = plot_w / top_value as f32;

    let (bar, gap) = bar_sizes(chart.series.len());
    let group = bar * chart.series.len().max(1) as f32 + gap;
    let top = flow.y;
    let plot_h = group * chart.labels.len().max(1) as f32;

    // The grid first, under the bars: a rule at every tick, and the scale under the plot.
    let mut grid = Vec::new();
    let mut tick = step;
    while tick <= top_value + step / 1000.0 {
        let x = x0 + tick as f32 * scale;
        grid.push([x - 0.15, top, 0.3, plot_h]);
        tick += step;
    }
    flow.push(Item::Shade {
        rects: grid,
        grey: GRID_GREY,
    });
    let mut tick = 0.0;
    while tick <= top_value + step / 1000.0 {
        let text = number(tick);
        let x = x0 + tick as f32 * scale - text_width(Face::Body, VALUE_SIZE, &text) / 2.0;
        flow.push(Item::Text {
            face: Face::Body,
            size: VALUE_SIZE,
            x,
            baseline: baseline(top + plot_h + mm(0.8), VALUE_SIZE, VALUE_SIZE * 1.4),
            text,
        });
        tick += step;
    }

    for (i, label) in chart.labels.iter().enumerate() {
        let g = top + i as f32 * group + gap / 2.0;
        let mid = g + bar * chart.series.len() as f32 / 2.0;
        let w = text_width(Face::Body, LABEL_SIZE, label);
        flow.push(Item::Text {
            face: Face::Body,
            size: LABEL_SIZE,
            x: x0 - mm(1.2) - w,
            baseline: baseline(mid - LABEL_SIZE * 0.7, LABEL_SIZE, LABEL_SIZE * 1.4),
            text: label.clone(),
        });
        for (j, s) in chart.series.iter().enumerate() {
            let v = s.values.get(i).copied().unwrap_or(0.0).max(0.0);
            let y = g + j as f32 * bar;
            let w = v as f32 * scale;
            if w > 0.0 {
                flow.push(Item::Shade {
                    rects: vec![[x0, y + 0.3, w, bar - 0.6]],
                    grey: s.grey,
                });
            }
            // The value beside its bar, its digits (0.73 em tall, centred 0.365 em above the
            // baseline) within the bar's own band.
            let size = (bar * 1.2).min(VALUE_SIZE);
            flow.push(Item::Text {
                face: Face::Body,
                size,
                x: x0 + w + mm(0.8),
                baseline: y + bar / 2.0 + 0.365 * size,
                text: number(v),
            });
        }
    }
    // The axis over the bars' left ends.
    flow.push(Item::Line {
        x1: x0,
        y1: top,
        x2: x0,
        y2: top + plot_h,
        width: 0.6,
    });
    flow.y = top + plot_h + axis_height();
}

/// The series' names, each after a swatch of its shade, centred under the title.
fn legend(flow: &mut Flow, chart: &Bars) {
    let swatch = mm(3.0);
    let space = mm(5.0);
    let items: Vec<(f32, &Series)> = chart
        .series
        .iter()
        .map(|s| {
            (
                swatch + mm(1.0) + text_width(Face::Body, LABEL_SIZE, s.name),
                s,
            )
        })
        .collect();
    let total: f32 =
        items.iter().map(|(w, _)| w).sum::<f32>() + space * items.len().saturating_sub(1) as f32;
    let mut x = flow.sheet.left + (flow.sheet.block_width - total) / 2.0;
    let leading = LABEL_SIZE * 1.8;
    let top = flow.y;
    for (w, s) in items {
        let y = top + (leading - mm(2.0)) / 2.0;
        flow.push(Item::Shade {
            rects: vec![[x, y, swatch, mm(2.0)]],
            grey: s.grey,
        });
        flow.push(Item::Frame {
            x,
            y,
            w: swatch,
            h: mm(2.0),
            width: 0.3,
        });
        flow.push(Item::Text {
            face: Face::Body,
            size: LABEL_SIZE,
            x: x + swatch + mm(1.0),
            baseline: baseline(top, LABEL_SIZE, leading),
            text: s.name.to_string(),
        });
        x += w + space;
    }
    flow.y = top + leading;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_round() {
        assert_eq!(nice_step(0.0, 5), 1.0);
        assert_eq!(nice_step(7.0, 5), 2.0);
        assert_eq!(nice_step(48.0, 5), 10.0);
        assert_eq!(nice_step(230.0, 5), 50.0);
        assert_eq!(nice_step(1234.0, 5), 500.0);
        assert_eq!(nice_step(3.0, 5), 1.0);
    }
}
