using System.Globalization;
using System.Text;

namespace ImagingValue.Synthetic;

/// <summary>Radiology report prose ("FINDINGS: ... IMPRESSION: ...") consistent with the planned findings.</summary>
internal static class ReportComposer
{
    public static IReadOnlyList<FindingItem> MajorItems { get; } =
    [
        new("acute_sacroiliitis", "acute bilateral sacroiliitis (SI joint edema)",
            "There is bilateral periarticular bone marrow edema on STIR at the sacroiliac joints with subchondral irregularity, left greater than right.",
            "Bilateral sacroiliac joint bone marrow edema and irregularity, consistent with active (acute) sacroiliitis. Correlate for inflammatory spondyloarthropathy."),
        new("chronic_sacroiliitis", "chronic sacroiliitis",
            "The sacroiliac joints show subchondral sclerosis, small erosions and periarticular fat metaplasia without active edema.",
            "Chronic sacroiliitis with erosions and fat metaplasia; no active inflammation."),
    ];

    public static IReadOnlyList<FindingItem> MinorItems { get; } =
    [
        new("si_degeneration", "SI joint degenerative disease",
            "Mild bilateral sacroiliac joint degenerative change with subchondral sclerosis and small anterior osteophytes, without edema or erosion.",
            "Mild degenerative change of the sacroiliac joints."),
        new("tarlov", "Tarlov cysts",
            "Perineural (Tarlov) cysts are present at S2, the largest measuring 1.4 cm, without bony remodeling.",
            "Sacral perineural (Tarlov) cysts, likely incidental."),
        new("old_trauma", "old post-traumatic change of the coccyx",
            "There is mild fixed angulation of the coccyx at the sacrococcygeal junction without marrow edema, likely sequela of remote trauma.",
            "Old post-traumatic deformity of the coccyx without acute abnormality."),
        new("old_sacral_trauma", "old healed sacral fracture",
            "There is a remote healed deformity of the left sacral ala with no marrow edema.",
            "Remote healed sacral fracture; no acute finding."),
        new("facet", "facet arthropathy L5-S1",
            "Moderate facet arthropathy is present at L5-S1 with small joint effusions.",
            "Moderate L5-S1 facet arthropathy."),
    ];

    public static IReadOnlyList<FindingItem> IncidentalItems { get; } =
    [
        new("lumbar_degeneration", "lumbar spine degeneration",
            "The partially imaged lower lumbar spine demonstrates disc desiccation and height loss at L4-L5 and L5-S1.",
            "Lower lumbar degenerative disc disease, better evaluated on dedicated lumbar spine MRI."),
        new("fibroids", "uterine fibroids",
            "The uterus is enlarged and contains several fibroids, the largest 3.2 cm.",
            "Incidental fibroid uterus.", 'F'),
        new("ovarian_cyst", "ovarian cyst",
            "A 2.6 cm simple-appearing left ovarian cyst is noted.",
            "Incidental left ovarian cyst; pelvic ultrasound may be obtained if clinically indicated.", 'F'),
        new("renal_lesion", "partially visualized renal lesion",
            "A partially visualized T2-hyperintense lesion in the lower pole of the right kidney is incompletely characterized.",
            "Partially visualized right renal lesion, incompletely characterized; consider renal ultrasound."),
        new("lymph_nodes", "borderline iliac lymph nodes",
            "Borderline enlarged right external iliac lymph nodes measure up to 1.0 cm in short axis.",
            "Borderline enlarged right external iliac lymph nodes, nonspecific."),
    ];

    public static string TargetIncluded(SynthOrder order, ReviewPlan plan, int variant)
    {
        var findings = new List<string>
        {
            variant % 2 == 0 ? "Normal alignment of the sacrum and coccyx." : "The sacrococcygeal alignment is anatomic.",
        };
        var hasOldTrauma = plan.Minor.Any(m => m.Kind.StartsWith("old", StringComparison.Ordinal));
        if (!hasOldTrauma)
        {
            findings.Add("Marrow signal is normal without fracture, edema or focal marrow-replacing lesion.");
        }

        var siAbnormal = plan.Major is not null || plan.Minor.Any(m => m.Kind == "si_degeneration");
        if (!siAbnormal)
        {
            findings.Add("The sacroiliac joints are symmetric without erosion, sclerosis or periarticular edema.");
        }

        if (plan.Major is not null)
        {
            findings.Add(plan.Major.Sentence);
        }

        findings.AddRange(plan.Minor.Select(m => m.Sentence));
        if (plan.Minor.All(m => m.Kind != "tarlov"))
        {
            findings.Add("The sacral neural foramina are patent.");
        }

        findings.AddRange(plan.Incidental.Select(m => m.Sentence));
        findings.Add("Presacral and paraspinal soft tissues are unremarkable.");

        var impressions = new List<string>();
        if (plan.Major is not null)
        {
            impressions.Add(plan.Major.Impression);
        }

        impressions.AddRange(plan.Minor.Select(m => m.Impression));
        impressions.AddRange(plan.Incidental.Select(m => m.Impression));
        if (impressions.Count == 0)
        {
            impressions.Add(variant % 3 == 0
                ? "Normal MRI of the sacrum and coccyx."
                : "No acute osseous abnormality of the sacrum or coccyx. No MR evidence of sacroiliitis.");
        }
        else if (plan.Major is null)
        {
            impressions.Insert(0, "No acute osseous abnormality of the sacrum or coccyx. No MR evidence of sacroiliitis.");
        }

        return Compose(order, Technique(order), findings, impressions);
    }

    public static string TargetExcluded(SynthOrder order, string primary, bool positive)
    {
        var (finding, impression) = (primary, positive) switch
        {
            (PaperLabels.Tumor, true) => (
                "Multiple T1-hypointense, STIR-hyperintense marrow lesions involve the sacrum and both iliac bones.",
                "Osseous lesions of the sacrum and pelvis compatible with metastatic disease in this clinical setting."),
            (PaperLabels.Tumor, false) => (
                "No suspicious marrow-replacing lesion. No presacral mass.",
                "No MR evidence of osseous metastatic disease or mass of the sacrum or coccyx."),
            (PaperLabels.Infection, true) => (
                "There is marrow edema and enhancement of the distal sacrum with an adjacent 2.1 cm fluid collection.",
                "Findings consistent with sacral osteomyelitis with small adjacent abscess."),
            (PaperLabels.Infection, false) => (
                "No marrow edema, fluid collection or paraspinal inflammatory change.",
                "No MR evidence of osteomyelitis, discitis or abscess."),
            (PaperLabels.InflammatoryArthritis, true) => (
                "The sacroiliac joints show bilateral periarticular bone marrow edema superimposed on chronic erosive change.",
                "Active bilateral sacroiliitis superimposed on chronic changes."),
            (PaperLabels.InflammatoryArthritis, false) => (
                "Chronic changes of the sacroiliac joints with partial ankylosis and no active bone marrow edema.",
                "Chronic sacroiliitis without active inflammation."),
            (PaperLabels.RecentTrauma, true) => (
                "A nondisplaced fracture of the coccyx is present with surrounding marrow and soft tissue edema.",
                "Acute nondisplaced coccygeal fracture."),
            (PaperLabels.RecentTrauma, false) => (
                "No fracture line or marrow edema. Mild soft tissue edema posterior to the coccyx.",
                "No acute fracture. Soft tissue contusion posterior to the coccyx."),
            (PaperLabels.OccultFracture, true) => (
                "A linear T1-hypointense fracture line in the right sacral ala is surrounded by marrow edema.",
                "Right sacral insufficiency fracture."),
            (PaperLabels.OccultFracture, false) => (
                "Marrow signal is normal without fracture line or edema.",
                "No sacral or coccygeal fracture."),
            _ => (
                "Marrow signal is normal. The sacroiliac joints are unremarkable.",
                "Normal MRI of the sacrum and coccyx."),
        };

        var findings = new List<string>
        {
            "Normal alignment of the sacrum and coccyx.",
            finding,
            "Presacral and paraspinal soft tissues are otherwise unremarkable.",
        };
        return Compose(order, Technique(order), findings, [impression]);
    }

    public static string NonTarget(SynthOrder order, int variant)
    {
        var name = order.Procedure.Name;
        var technique = order.Procedure.Modality switch
        {
            "XR" => "Frontal and lateral radiographs.",
            "CT" => "Axial CT images of the sacrum and coccyx without contrast with sagittal and coronal reformats.",
            _ => Technique(order),
        };

        (string Finding, string Impression) text;
        if (name.Contains("LUMBAR", StringComparison.Ordinal) || name.Contains("L-SPINE", StringComparison.Ordinal)
            || name.Contains("L SPINE", StringComparison.Ordinal))
        {
            text = (variant % 3) switch
            {
                0 => ("Disc desiccation at L4-L5 and L5-S1 with a broad-based disc bulge at L4-L5 causing mild bilateral foraminal narrowing. Conus terminates normally at L1.",
                    "Mild lower lumbar degenerative disc disease without high-grade stenosis."),
                1 => ("Small right paracentral disc protrusion at L5-S1 contacting the traversing right S1 nerve root. Mild facet arthropathy at L4-L5.",
                    "Right paracentral L5-S1 disc protrusion contacting the right S1 nerve root."),
                _ => ("Vertebral body heights and alignment are maintained. No significant canal or foraminal stenosis.",
                    "No significant lumbar spine abnormality."),
            };
        }
        else if (name.Contains("SACROILIAC", StringComparison.Ordinal) || name.Contains("SI JOINTS", StringComparison.Ordinal))
        {
            text = variant % 2 == 0
                ? ("The sacroiliac joints are symmetric without erosion, sclerosis or bone marrow edema.", "No radiographic or MR evidence of sacroiliitis.")
                : ("Mild subchondral sclerosis of the iliac side of both sacroiliac joints without erosion.", "Mild degenerative change of the sacroiliac joints.");
        }
        else if (name.Contains("PELVIS", StringComparison.Ordinal))
        {
            text = variant % 2 == 0
                ? ("The uterus and adnexa are unremarkable for age. No pelvic mass or free fluid. Visualized osseous structures are normal.", "No acute pelvic abnormality.")
                : ("Hip joints are preserved. Small amount of physiologic free fluid. No marrow abnormality.", "No significant pelvic abnormality.");
        }
        else if (order.Procedure.Modality == "CT")
        {
            text = variant % 2 == 0
                ? ("No acute fracture of the sacrum or coccyx. Sacroiliac joints are intact.", "No acute fracture.")
                : ("Nondisplaced fracture of the distal coccyx with mild anterior angulation.", "Nondisplaced coccygeal fracture.");
        }
        else
        {
            text = (variant % 3) switch
            {
                0 => ("No acute fracture or malalignment. Mild degenerative change of the lower lumbar spine.", "No acute osseous abnormality."),
                1 => ("The sacrum is partially obscured by overlying bowel gas. No displaced fracture is seen.", "No displaced fracture; sacrum partially obscured by bowel gas."),
                _ => ("Mild sclerosis along the sacroiliac joints. No erosive change.", "Mild degenerative change."),
            };
        }

        return Compose(order, technique, [text.Finding], [text.Impression]);
    }

    private static string Technique(SynthOrder order)
    {
        var region = order.Procedure.Name.Contains("LUMBAR", StringComparison.Ordinal) || order.Procedure.Name.Contains("SPINE", StringComparison.Ordinal)
            ? "lumbar spine"
            : order.Procedure.Name.Contains("PELVIS", StringComparison.Ordinal)
                ? "pelvis"
                : order.Procedure.Name.Contains("SACROILIAC", StringComparison.Ordinal)
                    ? "sacroiliac joints"
                    : "sacrum and coccyx";
        return order.Procedure.Contrast
            ? $"Multiplanar multisequence MR imaging of the {region} was performed before and after intravenous gadolinium."
            : $"Multiplanar multisequence MR imaging of the {region} was performed without intravenous contrast.";
    }

    private static string Compose(SynthOrder order, string technique, List<string> findings, List<string> impressions)
    {
        var builder = new StringBuilder();
        builder.Append("EXAM: ").Append(order.Procedure.Name).Append('\n');
        builder.Append("CLINICAL HISTORY: ").Append(order.Indication.Length > 0 ? order.Indication : "Not provided.").Append('\n');
        builder.Append("TECHNIQUE: ").Append(technique).Append('\n');
        builder.Append("COMPARISON: None.\n\n");
        builder.Append("FINDINGS: ").Append(string.Join(" ", findings)).Append("\n\n");
        builder.Append("IMPRESSION:");
        for (var i = 0; i < impressions.Count; i++)
        {
            builder.Append('\n').Append((i + 1).ToString(CultureInfo.InvariantCulture)).Append(". ").Append(impressions[i]);
        }

        return builder.ToString();
    }
}
