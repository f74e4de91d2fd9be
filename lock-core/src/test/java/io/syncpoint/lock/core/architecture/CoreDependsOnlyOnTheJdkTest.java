package io.syncpoint.lock.core.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The dependency rule: lock-core is framework-free and uses nothing but the JDK's java.* modules and itself. */
class CoreDependsOnlyOnTheJdkTest {
    private static final Path SOURCES = Path.of("src/main/java");
    private static final String OWN_PACKAGE = "io.syncpoint.lock.core";
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+?)(?:\\.\\*)?;", Pattern.MULTILINE);
    private static final Pattern QUALIFIED_FOREIGN_NAME = Pattern.compile("\\b(?:org|com|net|io|jakarta)\\.[a-z]\\w*\\.[\\w.]+");

    @Test
    void everyImportIsFromTheCoreOrFromAJavaModule() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Path file : sourceFiles()) {
            Matcher imports = IMPORT.matcher(Files.readString(file));
            while (imports.find()) {
                String name = imports.group(1);
                if (!name.startsWith(OWN_PACKAGE + ".") && !isFromJavaModule(name)) {
                    violations.add(SOURCES.relativize(file) + " imports " + name);
                }
            }
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void noForeignTypeIsUsedByItsQualifiedName() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Path file : sourceFiles()) {
            Matcher names = QUALIFIED_FOREIGN_NAME.matcher(Files.readString(file));
            while (names.find()) {
                if (!names.group().startsWith(OWN_PACKAGE)) {
                    violations.add(SOURCES.relativize(file) + " names " + names.group());
                }
            }
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void theRuleSeesTheSources() throws IOException {
        assertThat(sourceFiles()).hasSizeGreaterThan(40);
        assertThat(isFromJavaModule("javax.crypto.SecretKeyFactory")).isTrue();
        assertThat(isFromJavaModule("org.junit.jupiter.api.Test")).isFalse();
    }

    private static List<Path> sourceFiles() throws IOException {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            return files.filter(path -> path.toString().endsWith(".java")).toList();
        }
    }

    /** Types are resolved, so a static import of a member or a nested type still finds its module. */
    private static boolean isFromJavaModule(String name) {
        String candidate = name;
        while (candidate.contains(".")) {
            try {
                Module module = Class.forName(candidate, false, ClassLoader.getPlatformClassLoader()).getModule();
                return module.isNamed() && module.getName().startsWith("java.");
            } catch (ClassNotFoundException notAType) {
                candidate = candidate.substring(0, candidate.lastIndexOf('.'));
            }
        }
        return false;
    }
}
