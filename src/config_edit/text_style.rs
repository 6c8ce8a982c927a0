//! The byte-order mark and line endings of a text file, so an edit can keep them.

const BOM: char = '\u{feff}';

/// How a file's text is laid out at the byte level, apart from its syntax.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TextStyle {
    /// The file starts with a UTF-8 byte-order mark.
    pub bom: bool,
    /// Every line ends with CRLF (a file mixing both keeps what the editor produced).
    pub crlf: bool,
}

impl TextStyle {
    /// Splits `text` into its style and the text without a byte-order mark.
    pub fn detect(text: &str) -> (Self, &str) {
        let (bom, body) = match text.strip_prefix(BOM) {
            Some(body) => (true, body),
            None => (false, text),
        };
        let line_feeds = body.matches('\n').count();
        let crlf = line_feeds > 0 && body.matches("\r\n").count() == line_feeds;
        (Self { bom, crlf }, body)
    }

    /// Puts the style back on an edited body: the byte-order mark, and CRLF for every line
    /// the edit added with a bare LF.
    pub fn apply(&self, body: &str) -> String {
        let mut out = String::with_capacity(body.len() + 16);
        if self.bom {
            out.push(BOM);
        }
        if self.crlf {
            let mut previous = '\0';
            for c in body.chars() {
                if c == '\n' && previous != '\r' {
                    out.push('\r');
                }
                out.push(c);
                previous = c;
            }
        } else {
            out.push_str(body);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_bom_and_crlf() {
        let (style, body) = TextStyle::detect("\u{feff}{\r\n}\r\n");
        assert_eq!(
            style,
            TextStyle {
                bom: true,
                crlf: true
            }
        );
        assert_eq!(body, "{\r\n}\r\n");
        assert_eq!(
            style.apply("{\r\n  \"a\": 1\n}\r\n"),
            "\u{feff}{\r\n  \"a\": 1\r\n}\r\n"
        );
    }

    #[test]
    fn mixed_endings_are_left_as_edited() {
        let (style, _) = TextStyle::detect("a\r\nb\n");
        assert!(!style.crlf);
        assert_eq!(style.apply("a\r\nb\nc\n"), "a\r\nb\nc\n");
    }
}
