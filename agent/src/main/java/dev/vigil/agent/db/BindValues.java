package dev.vigil.agent.db;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How captured bind values look on a span ({@code db.query.parameter.<0-based index>}): rendered, bounded,
 * and redacted when they look secret. Redaction errs on the side of hiding, from two sides:
 * <ul>
 *   <li>the column: the SQL is scanned (linear, at most {@link #MAX_SCAN} characters, literals and comments
 *   skipped) for the column each {@code ?} is compared with or assigned to ({@code col = ?}, {@code col LIKE ?},
 *   {@code SET col = ?}, the column list of {@code INSERT … (a, b) VALUES (?, ?)}); a column whose name
 *   contains {@code pass}, {@code pwd}, {@code secret}, {@code token}, {@code key}, {@code auth}, {@code credential},
 *   {@code salt}, {@code hash}, {@code ssn}, {@code cvv}, {@code card}, {@code iban}, {@code session} or
 *   {@code private} hides whatever is bound to it;</li>
 *   <li>the value: JWTs, {@code Bearer }/{@code Basic } credentials, PEM blocks, {@code password=} inside a
 *   value, token-like strings (16 characters or more without spaces, mixing letters and digits: API keys,
 *   hashes, UUIDs, session ids), and card numbers (13–19 digits passing the Luhn check).</li>
 * </ul>
 * Strings and numbers are cut at {@link #MAX_LENGTH} characters; binary values, streams, LOBs and unknown objects
 * show only their type ({@code <byte[16]>}, {@code <InputStream>}). Never throws.
 */
public final class BindValues {
    public static final int MAX_PARAMETERS = 32;
    static final int MAX_LENGTH = 64;
    static final int MAX_SCAN = 16 * 1024;
    public static final String REDACTED = "<redacted>";
    private static final String[] SECRET_COLUMNS = {"pass", "pwd", "secret", "token", "key", "auth", "credential",
            "salt", "hash", "ssn", "cvv", "card", "iban", "session", "private"};

    private BindValues() {
    }

    /** The value as a span attribute: {@link #REDACTED} when the column or the value looks secret. */
    public static String render(Object value, boolean secretColumn) {
        if (value == null) {
            return "NULL";
        }
        if (secretColumn) {
            return REDACTED;
        }
        try {
            if (value instanceof CharSequence || value instanceof Character) {
                String s = value.toString();
                return secretValue(s) ? REDACTED : truncate(s);
            }
            if (value instanceof Number || value instanceof Boolean || value instanceof Enum
                    || value instanceof java.util.Date || value instanceof java.time.temporal.TemporalAccessor) {
                return truncate(value.toString());
            }
            if (value instanceof byte[]) {
                return "<byte[" + ((byte[]) value).length + "]>";
            }
            return "<" + value.getClass().getSimpleName() + ">";
        } catch (RuntimeException e) {
            return "<" + value.getClass().getSimpleName() + ">";
        }
    }

    private static String truncate(String s) {
        return s.length() <= MAX_LENGTH ? s : s.substring(0, MAX_LENGTH) + "...";
    }

    /** True for values that look like credentials or card numbers. */
    static boolean secretValue(String s) {
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.startsWith("bearer ") || lower.startsWith("basic ") || s.contains("-----BEGIN")
                || lower.contains("password=") || lower.contains("pwd=") || lower.contains("secret=")) {
            return true;
        }
        if (s.startsWith("eyJ") && s.indexOf('.') > 0 && s.indexOf('.', s.indexOf('.') + 1) > 0) {
            return true; // JWT: base64url of '{"' then two dots
        }
        return tokenLike(s) || cardNumber(s);
    }

    private static boolean tokenLike(String s) {
        if (s.length() < 16) {
            return false;
        }
        boolean letter = false;
        boolean digit = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                digit = true;
            } else if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
                letter = true;
            } else if ("_-+/=.~:".indexOf(c) < 0) {
                return false; // spaces and punctuation: prose, not a token
            }
        }
        return letter && digit;
    }

    private static boolean cardNumber(String s) {
        int digits = 0;
        int sum = 0;
        for (int i = s.length() - 1; i >= 0; i--) {
            char c = s.charAt(i);
            if (c == ' ' || c == '-') {
                continue;
            }
            if (c < '0' || c > '9') {
                return false;
            }
            int d = c - '0';
            if (digits % 2 == 1) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            digits++;
        }
        return digits >= 13 && digits <= 19 && sum % 10 == 0;
    }

    static boolean secretColumn(String column) {
        if (column == null) {
            return false;
        }
        String lower = column.toLowerCase(Locale.ROOT);
        for (String word : SECRET_COLUMNS) {
            if (lower.contains(word)) {
                return true;
            }
        }
        return false;
    }

    /**
     * For each {@code ?} of {@code sql} in order (at most {@code max}), whether the column it belongs to looks
     * secret. Placeholders whose column cannot be told are not secret by name (their values are still checked).
     */
    public static boolean[] secretParameters(String sql, int max) {
        String[] columns = columns(sql, max);
        boolean[] out = new boolean[columns.length];
        for (int i = 0; i < columns.length; i++) {
            out[i] = secretColumn(columns[i]);
        }
        return out;
    }

    private enum Kind { IDENT, PARAM, OP, OPEN, CLOSE, COMMA, OTHER }

    private record Token(Kind kind, String text) {
    }

    /** The column each {@code ?} is compared with or assigned to (null when unknown), in order, at most {@code max}. */
    static String[] columns(String sql, int max) {
        List<Token> tokens = tokens(sql);
        List<String> out = new ArrayList<>();
        List<String> insertColumns = null;
        int valuesDepth = -1; // paren depth of the VALUES tuple being read, else -1
        int position = 0;
        int depth = 0;
        for (int i = 0; i < tokens.size() && out.size() < max; i++) {
            Token t = tokens.get(i);
            switch (t.kind) {
                case OPEN -> {
                    depth++;
                    if (insertColumns == null && i >= 2 && isWord(tokens.get(i - 2), "INTO")
                            && tokens.get(i - 1).kind == Kind.IDENT) {
                        insertColumns = new ArrayList<>();
                        int j = i + 1;
                        for (; j < tokens.size() && tokens.get(j).kind != Kind.CLOSE; j++) {
                            if (tokens.get(j).kind == Kind.IDENT) {
                                insertColumns.add(tokens.get(j).text);
                            }
                        }
                        i = j; // the column list's closing parenthesis
                        depth--;
                    } else if (insertColumns != null && valuesDepth < 0 && i >= 1
                            && (isWord(tokens.get(i - 1), "VALUES") || tokens.get(i - 1).kind == Kind.COMMA
                            && depth == 1)) {
                        valuesDepth = depth;
                        position = 0;
                    }
                }
                case CLOSE -> {
                    if (depth == valuesDepth) {
                        valuesDepth = -1;
                    }
                    depth--;
                }
                case COMMA -> {
                    if (depth == valuesDepth) {
                        position++;
                    }
                }
                case PARAM -> {
                    String column = null;
                    if (depth == valuesDepth && insertColumns != null) {
                        column = position < insertColumns.size() ? insertColumns.get(position) : null;
                    } else if (i >= 2 && tokens.get(i - 2).kind == Kind.IDENT && (tokens.get(i - 1).kind == Kind.OP
                            || isWord(tokens.get(i - 1), "LIKE") || isWord(tokens.get(i - 1), "ILIKE"))) {
                        column = tokens.get(i - 2).text;
                    }
                    out.add(column);
                }
                default -> {
                }
            }
        }
        return out.toArray(new String[0]);
    }

    private static boolean isWord(Token t, String word) {
        return t.kind == Kind.IDENT && t.text.equalsIgnoreCase(word);
    }

    /** Tokens of interest; literals and comments dropped, identifiers without quotes or qualifiers. */
    private static List<Token> tokens(String sql) {
        List<Token> out = new ArrayList<>();
        int n = Math.min(sql.length(), MAX_SCAN);
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '\'') {
                i++;
                while (i < n && sql.charAt(i) != '\'') {
                    i += sql.charAt(i) == '\\' ? 2 : 1;
                }
                i++;
                out.add(new Token(Kind.OTHER, "'"));
            } else if (c == '"' || c == '`' || c == '[') {
                char end = c == '[' ? ']' : c;
                int start = ++i;
                while (i < n && sql.charAt(i) != end) {
                    i++;
                }
                out.add(new Token(Kind.IDENT, sql.substring(start, Math.min(i, n))));
                i++;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                while (i < n && sql.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int close = sql.indexOf("*/", i + 2);
                i = close < 0 || close >= n ? n : close + 2;
            } else if (Character.isLetter(c) || c == '_') {
                int start = i;
                while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_'
                        || sql.charAt(i) == '$')) {
                    i++;
                }
                if (i < n && sql.charAt(i) == '.') { // qualifier: keep the last part only
                    i++;
                    continue;
                }
                out.add(new Token(Kind.IDENT, sql.substring(start, i)));
            } else if (c == '?') {
                out.add(new Token(Kind.PARAM, "?"));
                i++;
            } else if ("<>=!~".indexOf(c) >= 0) {
                while (i < n && "<>=!~".indexOf(sql.charAt(i)) >= 0) {
                    i++;
                }
                out.add(new Token(Kind.OP, "="));
            } else {
                out.add(new Token(c == '(' ? Kind.OPEN : c == ')' ? Kind.CLOSE : c == ',' ? Kind.COMMA : Kind.OTHER,
                        String.valueOf(c)));
                i++;
            }
        }
        return out;
    }
}
