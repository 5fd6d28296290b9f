package dev.vigil.agent.db;

/**
 * Turns SQL text into {@code db.query.text}: every literal becomes {@code ?}, comments go, runs of white space
 * become one space, and a list of placeholders after {@code IN} collapses to {@code IN (?)} (so that the text,
 * and anything grouped by it, does not vary with the list's length).
 *
 * <p>Contract: never throws on any input (null gives null); never lets the content of a literal through, erring
 * towards over-redaction when the dialect is ambiguous (a backslash escapes inside a string, as in MySQL; an
 * unterminated literal or comment swallows the rest of the text; double-quoted text is a literal unless the
 * database is known to use it for identifiers); one forward pass over at most {@link #MAX_SCANNED} characters
 * plus one pass over the output, so the work is linear in the input and bounded. Output longer than
 * {@link #MAX_OUTPUT} characters is cut there, after sanitizing, and ends with {@code ...}.
 *
 * <p>Kept as they are: identifiers (quoted ones too), keywords, operators, JDBC placeholders {@code ?},
 * PostgreSQL positional parameters {@code $1} and named parameters {@code :name}.
 */
public final class SqlSanitizer {
    /** Characters of input looked at; the rest is dropped (the output says so with {@code ...}). */
    public static final int MAX_SCANNED = 16 * 1024;
    /** Characters of output kept. */
    public static final int MAX_OUTPUT = 4 * 1024;
    static final String TRUNCATED = "...";

    private SqlSanitizer() {
    }

    /** Sanitized text of {@code sql}, for database {@code system} (a {@code db.system.name} value, may be null). */
    public static String sanitize(String sql, String system) {
        if (sql == null) {
            return null;
        }
        try {
            return collapseInLists(scan(sql, system));
        } catch (RuntimeException unexpected) {
            return "?"; // never reached by design; never leak or throw if it is
        }
    }

    static String scan(String sql, String system) {
        boolean mysql = "mysql".equals(system) || "mariadb".equals(system);
        boolean doubleQuotedIdentifiers = system != null && !mysql && !"other_sql".equals(system);
        boolean bracketIdentifiers = "microsoft.sql_server".equals(system);
        int n = Math.min(sql.length(), MAX_SCANNED);
        StringBuilder out = new StringBuilder(Math.min(n, MAX_OUTPUT) + 8);
        boolean space = false;
        int i = 0;
        while (i < n) {
            if (out.length() > MAX_OUTPUT) {
                break;
            }
            char c = sql.charAt(i);
            char next = i + 1 < n ? sql.charAt(i + 1) : 0;
            if (Character.isWhitespace(c)) {
                space = true;
                i++;
                continue;
            }
            if ((c == '-' && next == '-') || (c == '#' && mysql)) {
                i = endOfLine(sql, i, n);
                space = true;
                continue;
            }
            if (c == '/' && next == '*') {
                i = endOfBlockComment(sql, i, n);
                space = true;
                continue;
            }
            if (space) {
                if (out.length() > 0) {
                    out.append(' ');
                }
                space = false;
            }
            if (c == '\'') {
                i = endOrLimit(endOfQuoted(sql, i, n, '\'', true), n);
                out.append('?');
            } else if (c == '"') {
                int end = endOfQuoted(sql, i, n, '"', !doubleQuotedIdentifiers);
                identifierOrLiteral(out, sql, i, end, doubleQuotedIdentifiers);
                i = endOrLimit(end, n);
            } else if (c == '`') {
                int end = endOfQuoted(sql, i, n, '`', false);
                identifierOrLiteral(out, sql, i, end, true);
                i = endOrLimit(end, n);
            } else if (c == '[' && bracketIdentifiers) {
                int end = endOfQuoted(sql, i, n, ']', false);
                identifierOrLiteral(out, sql, i, end, true);
                i = endOrLimit(end, n);
            } else if (c == '$') {
                i = dollar(out, sql, i, n);
            } else if (isDigit(c) || (c == '.' && isDigit(next))) {
                i++;
                while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '.'
                        || sql.charAt(i) == '_')) {
                    i++;
                }
                out.append('?');
            } else if (Character.isLetter(c) || c == '_') {
                int start = i;
                i++;
                while (i < n && isIdentifierPart(sql.charAt(i))
                        && !(sql.charAt(i) == '$' && opensDollarQuote(sql, i, n))) {
                    i++; // $tag$ ends a word even where $ may be part of one (v$session): it may open a literal
                }
                if (i < n && sql.charAt(i) == '\'') {
                    int length = i - start;
                    char first = Character.toLowerCase(c);
                    if ((length == 1 && first == 'q') || (length == 2 && first == 'n'
                            && Character.toLowerCase(sql.charAt(start + 1)) == 'q')) {
                        i = endOrLimit(endOfOracleQuote(sql, i, n), n); // q'[...]'
                        out.append('?');
                        continue;
                    }
                    if (length <= 2 || c == '_') {
                        continue; // literal prefix (X'', B'', N'', E'', _utf8''): the string that follows becomes ?
                    }
                }
                out.append(sql, start, i);
            } else {
                out.append(c);
                i++;
            }
        }
        if (out.length() > MAX_OUTPUT || n < sql.length()) {
            out.setLength(Math.min(out.length(), MAX_OUTPUT));
            out.append(TRUNCATED);
        }
        return out.toString();
    }

    private static void identifierOrLiteral(StringBuilder out, String sql, int start, int end, boolean identifier) {
        if (identifier && end > 0) {
            out.append(sql, start, end);
        } else {
            out.append('?'); // a literal, or an identifier left open: its text may hold anything
        }
    }

    private static int endOrLimit(int end, int n) {
        return end < 0 ? n : end;
    }

    /** Index after the closing quote, or -1 when unterminated. A doubled quote is an escaped one. */
    private static int endOfQuoted(String sql, int start, int n, char close, boolean backslashEscapes) {
        int i = start + 1;
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\\' && backslashEscapes) {
                i += 2;
            } else if (c == close) {
                if (i + 1 < n && sql.charAt(i + 1) == close) {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return -1;
    }

    /** Oracle {@code q'<d>...<d>'} with {@code quote} at the opening quote; -1 when unterminated. */
    private static int endOfOracleQuote(String sql, int quote, int n) {
        if (quote + 1 >= n) {
            return -1;
        }
        char open = sql.charAt(quote + 1);
        char close = open == '[' ? ']' : open == '{' ? '}' : open == '(' ? ')' : open == '<' ? '>' : open;
        for (int i = quote + 2; i + 1 < n; i++) {
            if (sql.charAt(i) == close && sql.charAt(i + 1) == '\'') {
                return i + 2;
            }
        }
        return -1;
    }

    private static int endOfLine(String sql, int start, int n) {
        int i = start;
        while (i < n && sql.charAt(i) != '\n' && sql.charAt(i) != '\r') {
            i++;
        }
        return i;
    }

    /** Block comments nest (PostgreSQL); counting nesting where a database does not only removes more. */
    private static int endOfBlockComment(String sql, int start, int n) {
        int depth = 0;
        int i = start;
        while (i < n) {
            char c = sql.charAt(i);
            char next = i + 1 < n ? sql.charAt(i + 1) : 0;
            if (c == '/' && next == '*') {
                depth++;
                i += 2;
            } else if (c == '*' && next == '/') {
                depth--;
                i += 2;
                if (depth == 0) {
                    return i;
                }
            } else {
                i++;
            }
        }
        return n;
    }

    /**
     * True when a {@code $tag$} opener starts at {@code at}. Scans at most to the next {@code $} or the end of
     * the word, which the caller would scan anyway: the work stays linear.
     */
    private static boolean opensDollarQuote(String sql, int at, int n) {
        int j = at + 1;
        while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
            j++;
        }
        return j < n && sql.charAt(j) == '$';
    }

    /** {@code $1} stays; {@code $$...$$} and {@code $tag$...$tag$} become {@code ?}. */
    private static int dollar(StringBuilder out, String sql, int start, int n) {
        int i = start + 1;
        if (i < n && isDigit(sql.charAt(i))) {
            while (i < n && isDigit(sql.charAt(i))) {
                i++;
            }
            out.append(sql, start, i);
            return i;
        }
        while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_')) {
            i++;
        }
        if (i < n && sql.charAt(i) == '$') {
            String tag = sql.substring(start, i + 1);
            int close = sql.indexOf(tag, i + 1);
            out.append('?');
            return close < 0 || close + tag.length() > n ? n : close + tag.length();
        }
        out.append('$');
        return start + 1; // a lone $: the word after it is scanned as usual
    }

    /** {@code IN (?, ?, ?)} → {@code IN (?)}; one pass, case-insensitive. */
    static String collapseInLists(String s) {
        int n = s.length();
        StringBuilder out = null;
        int copied = 0;
        int i = 0;
        while (i + 1 < n) {
            char c = s.charAt(i);
            if ((c == 'I' || c == 'i') && (s.charAt(i + 1) == 'N' || s.charAt(i + 1) == 'n')
                    && (i == 0 || !isIdentifierPart(s.charAt(i - 1)))) {
                int j = i + 2;
                if (j < n && s.charAt(j) == ' ') {
                    j++;
                }
                if (j < n && s.charAt(j) == '(') {
                    j++;
                    int placeholders = 0;
                    boolean expectPlaceholder = true;
                    while (j < n) {
                        char d = s.charAt(j);
                        if (d == ' ') {
                            j++;
                        } else if (d == '?' && expectPlaceholder) {
                            placeholders++;
                            expectPlaceholder = false;
                            j++;
                        } else if (d == ',' && !expectPlaceholder) {
                            expectPlaceholder = true;
                            j++;
                        } else {
                            break;
                        }
                    }
                    if (placeholders > 0 && !expectPlaceholder && j < n && s.charAt(j) == ')') {
                        if (out == null) {
                            out = new StringBuilder(n);
                        }
                        out.append(s, copied, i).append(s, i, i + 2).append(" (?)");
                        copied = j + 1;
                        i = j + 1;
                        continue;
                    }
                    i = Math.max(i + 2, j);
                    continue;
                }
            }
            i++;
        }
        if (out == null) {
            return s;
        }
        out.append(s, copied, n);
        return out.toString();
    }

    static boolean isIdentifierPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
