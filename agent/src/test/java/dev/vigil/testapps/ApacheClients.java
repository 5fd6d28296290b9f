package dev.vigil.testapps;

/** Apache HttpClient 5 calls; a separate class so apps without the library on their class path never load it. */
final class ApacheClients {
    private ApacheClients() {
    }

    static String call(String client, String url) {
        throw new IllegalArgumentException("unknown client " + client);
    }
}
