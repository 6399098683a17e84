using System.ComponentModel.DataAnnotations;

namespace ImagingValue.Web.Review;

/// <summary>The review workspace's settings (configuration section <c>ReviewWorkspace</c>).</summary>
public sealed class ReviewWorkspaceOptions
{
    public const string Section = "ReviewWorkspace";

    /// <summary>Wrong passwords in a row that lock an account. <value>Default 5.</value></summary>
    [Range(1, 100)]
    public int MaxFailedSignIns { get; set; } = 5;

    /// <summary>How long a locked account stays locked. <value>Default 15 minutes.</value></summary>
    [Range(1, 1440)]
    public int LockoutMinutes { get; set; } = 15;

    /// <summary>The protocol whose latest screening run makes the worklist. <value>Default <c>sacrum-mri-lbp</c>.</value></summary>
    [Required]
    public string Protocol { get; set; } = "sacrum-mri-lbp";

    /// <summary>Exams per worklist page. <value>Default 50.</value></summary>
    [Range(5, 500)]
    public int PageSize { get; set; } = 50;
}
