#include <catch2/catch.hpp>

#include "pipeline/language_guess.h"

using tw::GuessLanguage;

TEST_CASE("language guess: frequent words of Latin-script languages") {
  CHECK(GuessLanguage("The mayor said that the council would vote on the agreement with the town in the spring, "
                      "and that it was a good day for the people of both cities.") == "en");
  CHECK(GuessLanguage("Der Bürgermeister sagte, dass die Stadt mit der Partnerstadt einen neuen Vertrag unterzeichnen "
                      "will und dass die Schulen sich auf den Austausch freuen.") == "de");
  CHECK(GuessLanguage("Le maire a annoncé que la ville signera un accord de jumelage avec une commune du Portugal et "
                      "que les écoles participeront aux échanges dans les prochains mois.") == "fr");
  CHECK(GuessLanguage("El alcalde explicó que el convenio con la ciudad chilena incluye intercambios de estudiantes y "
                      "que los institutos de las dos ciudades ya preparan las visitas.") == "es");
  CHECK(GuessLanguage("De burgemeester zei dat de gemeente de stedenband met het Duitse dorp niet wil verlengen en dat "
                      "de stichting voor de uitwisselingen ook een nieuwe naam krijgt.") == "nl");
}

TEST_CASE("language guess: writing systems and Cyrillic") {
  CHECK(GuessLanguage("浜名町と米国のマーロウベイ市は、姉妹都市提携二十周年を記念する式典を町の文化会館で開いた。") == "ja");
  CHECK(GuessLanguage("青山市与新西兰南港市昨日在市政府正式签署友好城市协议，双方将在教育、旅游和农业等领域开展合作。") == "zh");
  CHECK(GuessLanguage("두 도시는 자매결연 협정을 체결하고 학생 교류와 문화 행사를 함께 열기로 했다고 밝혔다.") == "ko");
  CHECK(GuessLanguage("Городская дума одобрила соглашение о побратимстве, и это решение поддержали все депутаты, "
                      "которые выступили на заседании в понедельник, как и мэр города.") == "ru");
}

TEST_CASE("language guess: too little text is no guess") {
  CHECK(GuessLanguage("").empty());
  CHECK(GuessLanguage("Hello world").empty());
  CHECK(GuessLanguage("12345 67890 !!! ???").empty());
}
