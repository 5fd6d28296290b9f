package dev.vigil.agent.db;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a span and the duration metric say about one SQL text: the sanitized {@code db.query.text},
 * {@code db.operation.name} (the main statement's keyword, upper case), {@code db.collection.name} (the first
 * table the main statement works on, as written, schema prefix included) and {@code db.query.summary}
 * ({@code SELECT orders}, {@code INSERT order_items}, {@code CALL refresh_totals}). Parsed from the sanitized
 * text, so nothing here can hold a literal. Immutable; {@link #parse} never throws.
 */
public final class QueryInfo {
    private static final int MAX_NAME = 100;
    private static final Set<String> MAIN = Set.of("SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "UPSERT",
            "REPLACE");
    private static final Set<String> OBJECT_KINDS = Set.of("TABLE", "VIEW", "INDEX", "SEQUENCE", "SCHEMA",
            "PROCEDURE", "FUNCTION", "TRIGGER", "DATABASE");

    public final String text;
    public final String operation;
    public final String collection;
    public final String summary;
    /**
     * The duration timer of this query's successful executions, kept by the {@link JdbcTelemetry} that made it, so
     * that a cached query finds its timer without building a key per call.
     */
    volatile JdbcTelemetry.OwnedTimer successTimer;

    QueryInfo(String text, String operation, String collection, String summary) {
        this.text = text;
        this.operation = operation;
        this.collection = collection;
        this.summary = summary;
    }

    public static QueryInfo parse(String sql, String system) {
        String text = SqlSanitizer.sanitize(sql, system);
        if (text == null) {
            return new QueryInfo(null, null, null, null);
        }
        try {
            return summarize(text);
        } catch (RuntimeException unexpected) {
            return new QueryInfo(text, null, null, null);
        }
    }

    /** One batch of several statements: {@code BATCH INSERT}; the collection only when all agree. */
    public QueryInfo asBatch(boolean sameCollection) {
        if (operation == null) {
            return new QueryInfo(text, "BATCH", null, "BATCH");
        }
        String op = "BATCH " + operation;
        String coll = sameCollection ? collection : null;
        return new QueryInfo(text, op, coll, coll == null ? op : op + " " + coll);
    }

    static QueryInfo summarize(String text) {
        List<Token> tokens = tokens(text);
        int i = 0;
        // JDBC escapes: {call p(?)}, {? = call p(?)}
        while (i < tokens.size() && !tokens.get(i).word) {
            i++;
        }
        if (i >= tokens.size()) {
            return new QueryInfo(text, null, null, null);
        }
        String first = tokens.get(i).upper();
        if (first.equals("WITH")) {
            int depth = tokens.get(i).depth;
            for (int j = i + 1; j < tokens.size(); j++) {
                Token t = tokens.get(j);
                if (t.word && t.depth == depth && MAIN.contains(t.upper())) {
                    return main(text, tokens, j);
                }
            }
            return new QueryInfo(text, "WITH", null, "WITH");
        }
        if (MAIN.contains(first)) {
            return main(text, tokens, i);
        }
        switch (first) {
            case "CALL":
            case "EXEC":
            case "EXECUTE": {
                String procedure = name(tokens, i + 1);
                return new QueryInfo(text, first, null, procedure == null ? first : first + " " + procedure);
            }
            case "CREATE":
            case "DROP":
            case "ALTER":
            case "TRUNCATE": {
                int j = i + 1;
                while (j < tokens.size() && tokens.get(j).word && !OBJECT_KINDS.contains(tokens.get(j).upper())
                        && j < i + 4) {
                    j++; // CREATE [OR REPLACE] [TEMPORARY|UNIQUE] TABLE
                }
                String kind = j < tokens.size() && tokens.get(j).word && OBJECT_KINDS.contains(tokens.get(j).upper())
                        ? tokens.get(j).upper() : null;
                if (kind == null && first.equals("TRUNCATE")) {
                    kind = "TABLE";
                    j = i;
                }
                if (kind == null) {
                    return new QueryInfo(text, first, null, first);
                }
                j = skip(tokens, j + 1, "IF", "NOT", "EXISTS");
                String object = name(tokens, j);
                String collection = kind.equals("TABLE") ? object : null;
                String op = first + " " + kind;
                return new QueryInfo(text, first, collection, object == null ? op : op + " " + object);
            }
            default:
                return new QueryInfo(text, first.length() <= 20 && isLetters(first) ? first : null, null,
                        first.length() <= 20 && isLetters(first) ? first : null);
        }
    }

    private static QueryInfo main(String text, List<Token> tokens, int at) {
        String op = tokens.get(at).upper();
        int depth = tokens.get(at).depth;
        String collection = null;
        int j;
        switch (op) {
            case "SELECT":
                for (j = at + 1; j < tokens.size(); j++) {
                    Token t = tokens.get(j);
                    if (t.depth < depth) {
                        break;
                    }
                    if (t.word && t.depth == depth && t.upper().equals("FROM")) {
                        collection = name(tokens, j + 1);
                        break;
                    }
                }
                break;
            case "INSERT":
            case "UPSERT":
            case "REPLACE":
                j = skip(tokens, at + 1, "IGNORE", "INTO", "OR", "LOW_PRIORITY", "DELAYED", "HIGH_PRIORITY");
                collection = name(tokens, j);
                break;
            case "UPDATE":
                collection = name(tokens, skip(tokens, at + 1, "ONLY", "LOW_PRIORITY", "IGNORE"));
                break;
            case "DELETE":
                collection = name(tokens, skip(tokens, at + 1, "FROM", "ONLY", "LOW_PRIORITY", "QUICK", "IGNORE"));
                break;
            case "MERGE":
                collection = name(tokens, skip(tokens, at + 1, "INTO"));
                break;
            default:
                break;
        }
        return new QueryInfo(text, op, collection, collection == null ? op : op + " " + collection);
    }

    private static int skip(List<Token> tokens, int from, String... words) {
        int j = from;
        outer:
        while (j < tokens.size() && tokens.get(j).word) {
            String u = tokens.get(j).upper();
            for (String w : words) {
                if (w.equals(u)) {
                    j++;
                    continue outer;
                }
            }
            break;
        }
        return j;
    }

    /** A (possibly qualified) name starting at token {@code at}, or null when something else is there. */
    private static String name(List<Token> tokens, int at) {
        if (at >= tokens.size() || !tokens.get(at).word) {
            return null;
        }
        String value = tokens.get(at).text;
        return value.length() > MAX_NAME ? null : value;
    }

    private static boolean isLetters(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= 'A' && c <= 'Z') && c != '_') {
                return false;
            }
        }
        return !s.isEmpty();
    }

    private static final class Token {
        final String text;
        final boolean word;
        final int depth;

        Token(String text, boolean word, int depth) {
            this.text = text;
            this.word = word;
            this.depth = depth;
        }

        String upper() {
            return text.toUpperCase(Locale.ROOT);
        }
    }

    /**
     * Words (identifiers and keywords, a dotted chain and quoted parts joined into one) with their parenthesis
     * depth; other characters as one-character tokens. Only the first 64 tokens matter for a summary.
     */
    private static List<Token> tokens(String text) {
        List<Token> out = new ArrayList<>();
        int depth = 0;
        int n = text.length();
        int i = 0;
        while (i < n && out.size() < 256) {
            char c = text.charAt(i);
            if (c == ' ') {
                i++;
            } else if (Character.isLetter(c) || c == '_' || c == '"' || c == '`' || c == '[') {
                int start = i;
                while (i < n) {
                    char d = text.charAt(i);
                    if (d == '"' || d == '`' || d == '[') {
                        char close = d == '[' ? ']' : d;
                        int end = text.indexOf(close, i + 1);
                        if (end < 0) {
                            i = n;
                            break;
                        }
                        i = end + 1;
                    } else if (SqlSanitizer.isIdentifierPart(d) || d == '.') {
                        i++;
                    } else {
                        break;
                    }
                }
                out.add(new Token(text.substring(start, i), true, depth));
            } else {
                if (c == ')') {
                    depth--;
                }
                out.add(new Token(String.valueOf(c), false, depth));
                if (c == '(') {
                    depth++;
                }
                i++;
            }
        }
        return out;
    }
}
