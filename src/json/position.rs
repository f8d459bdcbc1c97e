//! Turning byte offsets into the line and column people see in an editor.

/// Start offsets of every line of one file, built only when a diagnostic
/// needs a position (most files have none). It does not borrow the text, so
/// it can live beside it; pass the same text to [`LineIndex::locate`].
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// 1-based line and column; the column counts characters, and a leading
    /// byte-order mark is not one of them.
    pub fn locate(&self, text: &str, offset: u32) -> (u32, u32) {
        let offset = (offset as usize).min(text.len());
        let line = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let mut start = self.starts.get(line).copied().unwrap_or(0);
        if line == 0 && text.starts_with('\u{feff}') {
            start = 3.min(offset);
        }
        let column = text
            .get(start..offset)
            .map(|s| s.chars().count())
            .unwrap_or(offset - start);
        (line as u32 + 1, column as u32 + 1)
    }
}
