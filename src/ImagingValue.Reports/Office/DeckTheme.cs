namespace ImagingValue.Reports.Office;

/// <summary>A plain Office theme (DejaVu/Arial-like sans, high-contrast colours) for the education deck.</summary>
internal static class DeckTheme
{
    public const string Xml = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="ImagingValue">
          <a:themeElements>
            <a:clrScheme name="ImagingValue">
              <a:dk1><a:srgbClr val="1A1A1A"/></a:dk1>
              <a:lt1><a:srgbClr val="FFFFFF"/></a:lt1>
              <a:dk2><a:srgbClr val="1F3A5F"/></a:dk2>
              <a:lt2><a:srgbClr val="EEF2F6"/></a:lt2>
              <a:accent1><a:srgbClr val="4682B4"/></a:accent1>
              <a:accent2><a:srgbClr val="FF8C00"/></a:accent2>
              <a:accent3><a:srgbClr val="2E7D32"/></a:accent3>
              <a:accent4><a:srgbClr val="8E24AA"/></a:accent4>
              <a:accent5><a:srgbClr val="C62828"/></a:accent5>
              <a:accent6><a:srgbClr val="616161"/></a:accent6>
              <a:hlink><a:srgbClr val="1565C0"/></a:hlink>
              <a:folHlink><a:srgbClr val="6A1B9A"/></a:folHlink>
            </a:clrScheme>
            <a:fontScheme name="ImagingValue">
              <a:majorFont><a:latin typeface="Arial"/><a:ea typeface=""/><a:cs typeface=""/></a:majorFont>
              <a:minorFont><a:latin typeface="Arial"/><a:ea typeface=""/><a:cs typeface=""/></a:minorFont>
            </a:fontScheme>
            <a:fmtScheme name="ImagingValue">
              <a:fillStyleLst>
                <a:solidFill><a:schemeClr val="phClr"/></a:solidFill>
                <a:solidFill><a:schemeClr val="phClr"/></a:solidFill>
                <a:solidFill><a:schemeClr val="phClr"/></a:solidFill>
              </a:fillStyleLst>
              <a:lnStyleLst>
                <a:ln w="9525"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln>
                <a:ln w="12700"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln>
                <a:ln w="19050"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln>
              </a:lnStyleLst>
              <a:effectStyleLst>
                <a:effectStyle><a:effectLst/></a:effectStyle>
                <a:effectStyle><a:effectLst/></a:effectStyle>
                <a:effectStyle><a:effectLst/></a:effectStyle>
              </a:effectStyleLst>
              <a:bgFillStyleLst>
                <a:solidFill><a:schemeClr val="phClr"/></a:solidFill>
                <a:solidFill><a:schemeClr val="phClr"/></a:solidFill>
                <a:solidFill><a:schemeClr val="phClr"/></a:solidFill>
              </a:bgFillStyleLst>
            </a:fmtScheme>
          </a:themeElements>
          <a:objectDefaults/>
          <a:extraClrSchemeLst/>
        </a:theme>
        """;
}
