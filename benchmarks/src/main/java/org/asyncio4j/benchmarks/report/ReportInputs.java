package org.asyncio4j.benchmarks.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a report is made from: JMH results (possibly empty), the C limits and the CPython figures
 * (each possibly absent), and the notes explaining whatever was missing or unreadable.
 */
public record ReportInputs(JmhResults jmh, CLimits c, CPythonResults cpython, List<String> notes) {

    /** Loads the three files, turning every missing or unreadable one into a note instead of a failure. */
    public static ReportInputs load(Path jmhFile, Path cFile, Path cpythonFile) {
        List<String> notes = new ArrayList<>();
        JmhResults jmh = new JmhResults(List.of());
        CLimits c = null;
        CPythonResults py = null;
        if (readable(jmhFile, "JMH results", notes)) {
            try {
                jmh = JmhResults.read(jmhFile);
            } catch (Exception e) {
                notes.add("JMH results " + jmhFile + " unreadable (" + e.getMessage() + "): skipped");
            }
        }
        if (readable(cFile, "C limits", notes)) {
            try {
                c = CLimits.read(cFile);
            } catch (Exception e) {
                notes.add("C limits " + cFile + " unreadable (" + e.getMessage() + "): skipped");
            }
        }
        if (readable(cpythonFile, "CPython figures", notes)) {
            try {
                py = CPythonResults.read(cpythonFile);
                if (py.skipped() != null) {
                    notes.add("CPython figures skipped by the script: " + py.skipped());
                    py = null;
                }
            } catch (Exception e) {
                notes.add("CPython figures " + cpythonFile + " unreadable (" + e.getMessage() + "): skipped");
            }
        }
        return new ReportInputs(jmh, c, py, notes);
    }

    private static boolean readable(Path file, String what, List<String> notes) {
        if (file == null) {
            notes.add(what + ": no file given, skipped");
            return false;
        }
        if (!Files.isRegularFile(file)) {
            notes.add(what + ": " + file + " not found, skipped");
            return false;
        }
        return true;
    }
}
