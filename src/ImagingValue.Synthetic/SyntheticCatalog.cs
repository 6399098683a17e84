namespace ImagingValue.Synthetic;

internal sealed record Procedure(string Code, string Name, string Modality, bool Contrast = false);

internal sealed record Provider(string Name, string Department);

internal sealed record CodeEntry(string Code, string Description, char? Sex = null);

/// <summary>Invented providers, site orderables, code descriptions and report sentences.</summary>
internal static class SyntheticCatalog
{
    public const string FamilyMedicine = "Family Medicine";
    public const string InternalMedicine = "Internal Medicine";
    public const string Orthopedics = "Orthopedics";
    public const string Rehab = "Physical Medicine & Rehab";
    public const string Emergency = "Emergency Medicine";
    public const string Rheumatology = "Rheumatology";
    public const string Oncology = "Oncology";
    public const string Pain = "Pain Management";

    public static IReadOnlyList<Provider> Providers { get; } =
    [
        new("Dr. A. Patel", FamilyMedicine),
        new("Dr. M. Okonkwo", FamilyMedicine),
        new("Dr. J. Lindgren", FamilyMedicine),
        new("R. Castellanos, MD", FamilyMedicine),
        new("Dr. S. Whitfield", FamilyMedicine),
        new("K. Nakamura, DO", FamilyMedicine),
        new("Dr. E. Brennan", FamilyMedicine),
        new("T. Adeyemi, NP", FamilyMedicine),
        new("Dr. L. Marchetti", FamilyMedicine),
        new("Dr. H. Sorensen", InternalMedicine),
        new("P. Varga, MD", InternalMedicine),
        new("Dr. N. Abernathy", InternalMedicine),
        new("C. Duarte, PA-C", InternalMedicine),
        new("Dr. G. Halvorsen", Orthopedics),
        new("D. Rosenthal, MD", Orthopedics),
        new("Dr. F. Oyelaran", Orthopedics),
        new("Dr. V. Kowalczyk", Rehab),
        new("B. Ashworth, DO", Rehab),
        new("Dr. I. Mensah", Emergency),
        new("Dr. W. Tanaka", Emergency),
        new("Y. Ferreira, PA-C", Emergency),
        new("Dr. O. Lindqvist", Rheumatology),
        new("Dr. U. Rahimi", Rheumatology),
        new("Dr. Z. Kaplan", Oncology),
        new("Dr. Q. Delacroix", Oncology),
        new("Dr. X. Montoya", Pain),
    ];

    /// <summary>Target orderables without contrast (all included exams use these).</summary>
    public static IReadOnlyList<Procedure> TargetNonContrast { get; } =
    [
        new("72195", "MRI SACRUM WO CONTRAST", "MR"),
        new("36059-4", "MRI SACRUM WO CONTRAST", "MR"),
        new("36060-2", "MR SACRUM/COCCYX W/O", "MR"),
        new("MRCOC", "MRI COCCYX WITHOUT CONTRAST", "MR"),
        new("72195", "MRI SACRUM AND COCCYX WO", "MR"),
        new("36060-2", "MRI SACRUM AND COCCYX WO", "MR"),
        new("MRSAC", "MRI SACRUM-COCCYX W/O CON", "MR"),
    ];

    public static IReadOnlyList<Procedure> TargetContrast { get; } =
    [
        new("72197", "MR SACRUM WO+W CONTRAST", "MR", true),
        new("MRSACC", "MRI SACRUM/COCCYX W WO CONTRAST", "MR", true),
    ];

    public static IReadOnlyList<Procedure> LumbarMri { get; } =
    [
        new("72148", "MRI LUMBAR SPINE WO CONTRAST", "MR"),
        new("72148", "MR L-SPINE W/O", "MR"),
        new("72148", "MRI L SPINE WITHOUT CONTRAST", "MR"),
        new("72158", "MRI LUMBAR SPINE WO+W CONTRAST", "MR", true),
        new("72149", "MRI LUMBAR SPINE W CONTRAST", "MR", true),
    ];

    public static Procedure SiJointMri { get; } = new("72195", "MRI SACROILIAC JOINTS WO CONTRAST", "MR");

    public static IReadOnlyList<Procedure> PelvisMri { get; } =
    [
        new("72195", "MRI PELVIS WO CONTRAST", "MR"),
        new("72196", "MRI PELVIS W CONTRAST", "MR", true),
        new("72197", "MRI PELVIS WO+W CONTRAST", "MR", true),
    ];

    public static Procedure SacrumCt { get; } = new("72192", "CT SACRUM COCCYX WO CONTRAST", "CT");

    public static Procedure SacrumXr { get; } = new("72220", "XR SACRUM AND COCCYX 2+ VIEWS", "XR");

    public static IReadOnlyList<Procedure> SiJointXr { get; } =
    [
        new("72200", "XR SI JOINTS 1-2 VIEWS", "XR"),
        new("72202", "XR SI JOINTS 3+ VIEWS", "XR"),
    ];

    public static IReadOnlyList<Procedure> LumbosacralXr { get; } =
    [
        new("72100", "XR LUMBOSACRAL SPINE 2-3 VIEWS", "XR"),
        new("72110", "XR LUMBOSACRAL SPINE 4+ VIEWS", "XR"),
    ];

    public static IReadOnlyList<string> LumbarIndications { get; } =
    [
        "LBP with radiculopathy", "L4-5 radiculopathy", "lumbar radiculopathy, failed PT", "LBP radiating to R leg",
        "sciatica, r/o HNP", "lumbar stenosis, pre-op", "s/p L4-5 fusion, new pain", "neurogenic claudication",
        "LBP x 8 wks", "low back pain", "f/u disc herniation", "L5 radiculopathy", "back pain w/ numbness L foot",
        "LBP, eval for spinal stenosis", "chronic LBP, consider ESI",
    ];

    public static IReadOnlyList<string> SiJointIndications { get; } =
    [
        "r/o sacroiliitis", "SI joint pain", "inflammatory back pain, HLA-B27+", "known AS, assess activity",
        "buttock pain, ?SI joint dysfunction", "eval for axial spondyloarthritis", "SI joint pain, xray equivocal",
    ];

    public static IReadOnlyList<string> PelvisIndications { get; } =
    [
        "pelvic pain", "fibroids, pre-op", "tailbone pain", "coccyx pain", "endometriosis", "adnexal mass f/u",
        "hip pain, r/o AVN", "pelvic pain, r/o adenomyosis",
    ];

    public static IReadOnlyList<string> CtIndications { get; } =
    [
        "fall, r/o sacral fx", "tailbone pain after fall", "sacral fx f/u", "trauma", "eval sacral lesion seen on xray",
        "coccyx pain, r/o fracture",
    ];

    public static IReadOnlyList<string> SacrumXrIndications { get; } =
    [
        "tailbone pain", "coccyx pain after fall", "coccydynia", "sacral pain", "fall onto buttocks", "coccyx pain w/ sitting",
    ];

    public static IReadOnlyList<string> SiXrIndications { get; } =
    [
        "SI joint pain", "r/o sacroiliitis", "LBP, r/o AS", "buttock pain, alternating",
    ];

    public static IReadOnlyList<string> LumbosacralXrIndications { get; } =
    [
        "LBP", "low back pain x 2 wks", "back pain after lifting", "LBP, scoliosis f/u", "spondylolisthesis f/u",
        "chronic LBP", "back pain",
    ];

    /// <summary>Qualifying ICD-10-CM reason codes of the era (M54.5 was the LBP code until Oct 2021).</summary>
    public static IReadOnlyList<string> PainReasonCodes { get; } =
        ["M54.5", "M54.5", "M54.5", "M53.3", "M54.9", "M54.89", "M54.30", "M54.31", "M54.32", "M54.41", "M54.42"];

    public static IReadOnlyList<CodeEntry> Background { get; } =
    [
        new("I10", "Essential (primary) hypertension"),
        new("E78.5", "Hyperlipidemia, unspecified"),
        new("E11.9", "Type 2 diabetes mellitus without complications"),
        new("E66.9", "Obesity, unspecified"),
        new("E03.9", "Hypothyroidism, unspecified"),
        new("K21.9", "Gastro-esophageal reflux disease without esophagitis"),
        new("F32.9", "Major depressive disorder, single episode, unspecified"),
        new("F41.9", "Anxiety disorder, unspecified"),
        new("J45.909", "Unspecified asthma, uncomplicated"),
        new("M17.11", "Unilateral primary osteoarthritis, right knee"),
        new("G47.33", "Obstructive sleep apnea (adult) (pediatric)"),
        new("M54.5", "Low back pain"),
        new("M51.36", "Other intervertebral disc degeneration, lumbar region"),
        new("G43.909", "Migraine, unspecified, not intractable, without status migrainosus"),
        new("N40.0", "Benign prostatic hyperplasia without lower urinary tract symptoms", 'M'),
        new("N95.1", "Menopausal and female climacteric states", 'F'),
        new("E55.9", "Vitamin D deficiency, unspecified"),
        new("M79.7", "Fibromyalgia"),
        new("K58.9", "Irritable bowel syndrome without diarrhea"),
        new("M62.830", "Muscle spasm of back"),
    ];

    public static IReadOnlyList<CodeEntry> ResolvedOld { get; } =
    [
        new("J18.9", "Pneumonia, unspecified organism"),
        new("N39.0", "Urinary tract infection, site not specified"),
        new("J02.9", "Acute pharyngitis, unspecified"),
        new("K35.80", "Unspecified acute appendicitis"),
        new("J01.90", "Acute sinusitis, unspecified"),
    ];

    public static IReadOnlyList<CodeEntry> TumorCodes { get; } =
    [
        new("Z85.3", "Personal history of malignant neoplasm of breast", 'F'),
        new("C50.911", "Malignant neoplasm of unspecified site of right female breast", 'F'),
        new("C79.51", "Secondary malignant neoplasm of bone"),
        new("C61", "Malignant neoplasm of prostate", 'M'),
        new("Z85.46", "Personal history of malignant neoplasm of prostate", 'M'),
        new("C90.00", "Multiple myeloma not having achieved remission"),
    ];

    public static IReadOnlyList<CodeEntry> InfectionCodes { get; } =
    [
        new("M46.26", "Osteomyelitis of vertebra, lumbar region"),
        new("M46.46", "Discitis, unspecified, lumbar region"),
        new("M46.28", "Osteomyelitis of vertebra, sacral and sacrococcygeal region"),
    ];

    public static IReadOnlyList<CodeEntry> InflammatoryCodes { get; } =
    [
        new("M45.9", "Ankylosing spondylitis of unspecified sites in spine"),
        new("M46.1", "Sacroiliitis, not elsewhere classified"),
        new("M45.8", "Ankylosing spondylitis sacral and sacrococcygeal region"),
    ];

    public static IReadOnlyList<CodeEntry> TraumaCodes { get; } =
    [
        new("S32.2XXA", "Fracture of coccyx, initial encounter for closed fracture"),
        new("S30.0XXA", "Contusion of lower back and pelvis, initial encounter"),
    ];

    public static IReadOnlyList<CodeEntry> FractureCodes { get; } =
    [
        new("M48.48XA", "Fatigue fracture of vertebra, sacral and sacrococcygeal region, initial encounter for fracture"),
        new("M80.08XA", "Age-related osteoporosis with current pathological fracture, vertebra(e), initial encounter for fracture"),
    ];

    public static IReadOnlyList<CodeEntry> FlagCodes(string flag) => flag switch
    {
        PaperLabels.Tumor => TumorCodes,
        PaperLabels.Infection => InfectionCodes,
        PaperLabels.InflammatoryArthritis => InflammatoryCodes,
        PaperLabels.RecentTrauma => TraumaCodes,
        PaperLabels.OccultFracture => FractureCodes,
        _ => throw new ArgumentOutOfRangeException(nameof(flag), flag, "Not a red flag."),
    };

    public static IReadOnlyList<string> Residents { get; } = ["Dr. K. Iwasaki (R3)", "Dr. D. Obi (R4)", "Dr. P. Szabo (R4)"];

    public static IReadOnlyList<string> Fellows { get; } = ["Dr. T. Marsh (MSK fellow)"];

    public static IReadOnlyList<string> MskAttendings { get; } = ["Dr. E. Holm (MSK)", "Dr. R. Castaneda (MSK)"];
}
