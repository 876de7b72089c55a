package io.voltworkflow.engines.builtin;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.jspecify.annotations.Nullable;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Reads JUnit XML reports (Surefire, Gradle, the Ant/Jenkins format): {@code <testsuite>} or {@code <testsuites>}
 * with {@code <testcase>} children holding {@code <failure>}, {@code <error>} or {@code <skipped>}. Reports are
 * build output, so DTDs and external entities are refused. A report that cannot be read counts as an error: a
 * broken report must not pass validation.
 */
final class JUnitReports {
    private static final int MAX_FINDINGS = 20;

    private JUnitReports() {}

    record Counts(int tests, int failures, int errors, int skipped, List<String> findings) {
        static final Counts NONE = new Counts(0, 0, 0, 0, List.of());

        Counts plus(Counts other) {
            List<String> all = new ArrayList<>(findings);
            other.findings.stream()
                    .limit(Math.max(0, MAX_FINDINGS - all.size()))
                    .forEach(all::add);
            return new Counts(
                    tests + other.tests,
                    failures + other.failures,
                    errors + other.errors,
                    skipped + other.skipped,
                    all);
        }
    }

    static Counts read(Path report, Path workspace) {
        String name = workspace.relativize(report).toString();
        try {
            Document document = parser().parse(report.toFile());
            NodeList cases = document.getElementsByTagName("testcase");
            if (cases.getLength() == 0) {
                return fromSuiteAttributes(document, name);
            }
            int failures = 0;
            int errors = 0;
            int skipped = 0;
            List<String> findings = new ArrayList<>();
            for (int i = 0; i < cases.getLength(); i++) {
                Element testCase = (Element) cases.item(i);
                Element failure = child(testCase, "failure");
                Element error = child(testCase, "error");
                if (failure != null || error != null) {
                    Element problem = Objects.requireNonNull(failure != null ? failure : error);
                    failures += failure != null ? 1 : 0;
                    errors += failure == null ? 1 : 0;
                    if (findings.size() < MAX_FINDINGS) {
                        findings.add((failure != null ? "FAILED " : "ERROR ") + testCase.getAttribute("classname") + "."
                                + testCase.getAttribute("name") + ": " + firstLine(problem.getAttribute("message")));
                    }
                } else if (child(testCase, "skipped") != null) {
                    skipped++;
                }
            }
            return new Counts(cases.getLength(), failures, errors, skipped, findings);
        } catch (IOException | SAXException | ParserConfigurationException e) {
            return new Counts(
                    0,
                    0,
                    1,
                    0,
                    List.of("ERROR report " + name + " is not readable JUnit XML: " + firstLine(e.getMessage())));
        }
    }

    private static Counts fromSuiteAttributes(Document document, String name) {
        NodeList suites = document.getElementsByTagName("testsuite");
        Counts total = Counts.NONE;
        for (int i = 0; i < suites.getLength(); i++) {
            Element suite = (Element) suites.item(i);
            total = total.plus(new Counts(
                    number(suite, "tests"),
                    number(suite, "failures"),
                    number(suite, "errors"),
                    number(suite, "skipped"),
                    List.of()));
        }
        if (suites.getLength() == 0) {
            return new Counts(0, 0, 1, 0, List.of("ERROR report " + name + " has no <testsuite> element"));
        }
        return total;
    }

    private static DocumentBuilder parser() throws ParserConfigurationException {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setXIncludeAware(false);
        factory.setExpandEntityReferences(false);
        DocumentBuilder builder = factory.newDocumentBuilder();
        builder.setErrorHandler(new org.xml.sax.helpers.DefaultHandler()); // fatal errors throw; nothing printed
        return builder;
    }

    private static @Nullable Element child(Element parent, String tag) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(tag)) {
                return element;
            }
        }
        return null;
    }

    private static int number(Element element, String attribute) {
        try {
            return Math.max(0, (int) Double.parseDouble(element.getAttribute(attribute)));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String firstLine(@Nullable String text) {
        String line = text == null ? "" : text.strip().lines().findFirst().orElse("");
        return line.length() <= 200 ? line : line.substring(0, 200) + "…";
    }
}
